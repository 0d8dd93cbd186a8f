"""Where sources disagree: other sources' values are kept, checked and shown."""

from __future__ import annotations


import pytest

from conftest import ROOT
from macros.core.atlas import check, disagreements, load_atlas
from macros.render import markdown as render

JET = "data/devices/jet.yaml"
VOLUME = 'plasma_volume: {value: 90, unit: m3, as_of: "2023-12", source: src-b, approx: true}'


@pytest.fixture
def project(good_project):
    return good_project


def edit(project, old, new, rel=JET):
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("other, expected", [
    ("{value: 90, unit: m3, source: src-a}",
     "data/devices/jet.yaml:13: jet: parameters.plasma_volume.others.0.value: is the value used (90 m3); list only sources that differ"),
    ("{value: 100, unit: m3, source: src-b}",
     "data/devices/jet.yaml:13: jet: parameters.plasma_volume.others.0.source: is the source of the value used; another value needs another source"),
    ("{value: 100, unit: m, source: src-a}",
     "data/devices/jet.yaml:13: jet: parameters.plasma_volume.others.0.unit: plasma volume is written in m3, not m"),
    ("{value: -4, unit: m3, source: src-a}",
     "data/devices/jet.yaml:13: jet: parameters.plasma_volume.others.0.value: -4 m3 is not a plausible plasma volume: it must be > 0 and <= 100000 m3"),
    ("{value: 100, unit: m3, source: nowhere}",
     "data/devices/jet.yaml:13: jet: parameters.plasma_volume.others.0.source: unknown source id 'nowhere'; it must be the id of a file in data/sources/"),
])
def test_another_sources_value_is_checked_like_the_value_used(project, other, expected):
    edit(project, VOLUME, VOLUME[:-1] + f", others: [{other}]}}")
    assert [str(p) for p in check(project)] == [expected]


def test_another_sources_date_must_differ_and_cite_another_source(project):
    edit(project, 'first_plasma: {date: "1983-06-25", status: actual, source: src-a}',
         'first_plasma: {date: "1983-06-25", status: actual, source: src-a, others: [{date: "1983-06-25", source: src-a}]}')
    assert [str(p) for p in check(project)] == [
        "data/devices/jet.yaml:9: jet: first_plasma.others.0.date: gives the same date as the value used (1983-06-25); list only sources that differ",
        "data/devices/jet.yaml:9: jet: first_plasma.others.0.source: is the source of the value used; another value needs another source",
    ]


def test_a_disputed_date_is_shown_beside_the_date_and_listed(project):
    edit(project, 'first_plasma: {date: "1983-06-25", status: actual, source: src-a}',
         'first_plasma: {date: "1983-06-25", status: actual, source: src-a, others: [{date: "1983-06", source: src-b}]}')
    atlas = load_atlas(project)
    assert [(rid, path) for rid, path, _ in disagreements(atlas)] == [
        ("jet", ("first_plasma",)), ("jet", ("end_of_operation",))]
    page = render.entity_page(atlas, "devices", "jet").replace("\u2009", " ")
    assert ("| First plasma | <span class=\"atlas-date\">25 June 1983</span> [^src-a] <small class=\"others\">"
            "([other sources give](/disagreements.md) June 1983 [^src-b])</small> |") in page
    listing = render.disagreements(atlas, "zh").replace("\u2009", " ")
    assert "| 第一次等离子体 | <span class=\"atlas-date\">1983年6月25日</span> [^src-a] | 1983年6月 [^src-b] |" in listing
    assert listing.startswith("共有2项事实各来源说法不一。")


def test_a_disputed_record_is_named_by_its_metric_and_date(project):
    edit(project, "  - {metric: fusion_power, value: 16, unit: MW, date: \"1997\", as_of: \"1997\", source: src-a, heating_power: 24}",
         "  - {metric: fusion_power, value: 16, unit: MW, date: \"1997\", as_of: \"1997\", source: src-a, heating_power: 24, "
         "others: [{value: 13, unit: MW, source: src-b}]}")
    listing = render.disagreements(load_atlas(project)).replace("\u2009", " ")
    assert "| [JET](/devices/jet.md) | Fusion power (1997) | 16 MW [^src-a-1997] | 13 MW [^src-b] |" in listing


def test_a_cost_estimate_of_any_device_is_checked(project):
    """Every device's estimates, not only the last device's (a loop once checked only that one)."""
    edit(project, "  - {stated: \"2006\", value: 5, unit: EUR-billion,", "  - {stated: \"2006\", value: 5000, unit: EUR-billion,",
         rel="data/devices/iter.yaml")
    assert [str(p) for p in check(project)] == [
        "data/devices/iter.yaml:17: iter: cost_estimates.0.value: 5000 EUR-billion is not a plausible cost: it must be > 0 and <= 1000 EUR-billion"]


def test_the_real_atlas_lists_at_least_twenty_disagreements_in_both_languages():
    atlas = load_atlas(ROOT)
    found = list(disagreements(atlas))
    assert len(found) >= 20
    for lang in ("en", "zh"):
        body = render.disagreements(atlas, lang)
        rows = [line for line in body.splitlines() if line.startswith("| ") and not line.startswith(("| Record", "| 条目"))]
        assert len(rows) >= 20

"""The real site, built strictly from data/: pages, headings, links and parity with the data."""

import pytest

from conftest import ROOT
from htmlcheck import broken_links, external_links, page_of, parse
from macros.render import text
from macros.core.atlas import PAGE_KINDS
from macros.render.labels import label, value
from macros.core.model import PARAMETERS

pytestmark = pytest.mark.build

REQUIRED = {
    "members": ["eu", "china", "india", "japan", "korea", "russia", "usa", "ussr", "canada", "australia", "kazakhstan", "uk"],
    "devices": ["jet", "jt-60", "jt-60u", "jt-60sa", "iter", "eu-demo", "ifmif", "tftr", "t-15"],
}


def test_required_records_exist(real_atlas):
    for kind, ids in REQUIRED.items():
        missing = [i for i in ids if i not in real_atlas.records[kind]]
        assert missing == [], f"missing {kind}: {missing}"
    assert len(real_atlas.records["eras"]) >= 6


def test_every_record_has_its_page_titled_by_name(real_site, real_atlas):
    for kind in PAGE_KINDS:
        for rid, rec in real_atlas.records[kind].items():
            page = page_of(real_site, kind, rid)
            assert page.h1 == rec.name.en, (kind, rid)
            assert page.title.startswith(rec.name.en)


def test_index_tables_link_every_record(real_site, real_atlas):
    for kind in PAGE_KINDS:
        index = parse(real_site / kind / "index.html")
        targets = {link.strip("./").split("/")[0] for link in index.links if not link.startswith(("http", "#", "/"))}
        for rid in real_atlas.records[kind]:
            assert rid in targets, (kind, rid)


def test_no_broken_internal_links_or_anchors(real_site):
    assert broken_links(real_site) == []


LICENCE_DEEDS = {"https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
                 "https://opensource.org/license/mit"}


def test_only_sources_and_the_repository_are_linked_outside_the_site(real_site, real_atlas):
    import yaml

    class _Env(yaml.SafeLoader):
        pass

    _Env.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    repo = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Env)["extra"]["edit_url"]
    allowed = {s.url for s in real_atlas.all("sources")}
    allowed |= {f"https://www.wikidata.org/wiki/{d.identifiers.wikidata}" for d in real_atlas.all("devices") if d.identifiers.wikidata}
    allowed |= LICENCE_DEEDS  # the Data page names the licences
    outside = {u for u in external_links(real_site) - allowed if not u.startswith(repo)}
    assert outside == set()


def test_device_infobox_figures_equal_the_data(real_site, real_atlas):
    from macros.core.facts import stale_index

    stale = stale_index(real_atlas)

    def flagged(fact, shown: str) -> str:
        """The value shown, less the stale flag that follows a fact that may be out of date."""
        if id(fact) not in stale:
            return shown
        flag = " (" + label("stale").format(date=text.date(stale[id(fact)])) + ")"
        assert shown.endswith(flag), shown
        return shown[: -len(flag)]

    checked = 0
    for dev in real_atlas.all("devices"):
        box = page_of(real_site, "devices", dev.id).infobox
        assert box[label("configuration")] == value(dev.kind)
        assert box[label("status")] == value(dev.status)
        for name in PARAMETERS:
            fact = getattr(dev.parameters, name)
            if fact is None:
                assert label(name) not in box
            else:
                shown = flagged(fact, box[label(name)].replace("\u2009", "").strip())
                if fact.others:  # "(other sources give …)" follows the value
                    assert shown.startswith(text.fact(fact) + " ("), (dev.id, name, shown)
                else:
                    assert shown == text.fact(fact), (dev.id, name)
                checked += 1
        if dev.first_plasma:
            # labelled with what the date marks, where the record says (ITER: Start of Research Operation)
            name = dev.first_plasma.milestone.en if dev.first_plasma.milestone else label("first_plasma")
            shown = flagged(dev.first_plasma, box[name].replace("\u2009", "").strip())
            if dev.first_plasma.others:
                assert shown.startswith(text.dated(dev.first_plasma) + " ("), shown
            else:
                assert shown == text.dated(dev.first_plasma)
    assert checked >= 20
    iter_box = page_of(real_site, "devices", "iter").infobox
    assert "First plasma" not in iter_box and iter_box["Start of Research Operation"].startswith("2034")


def test_member_infobox_figures_equal_the_data(real_site, real_atlas):
    for mem in real_atlas.all("members"):
        box = page_of(real_site, "members", mem.id).infobox
        assert box[label("role")] == value(mem.role)
        if mem.share:
            shown = box[label("share")].replace("\u2009", "").strip()
            if mem.share.others:  # "(other sources give …)" follows the value
                assert shown.startswith(text.fact(mem.share) + " ("), shown
            else:
                assert shown == text.fact(mem.share)
        if mem.joined:
            assert box[label("joined")].startswith(text.dated(mem.joined))
        if mem.domestic_agency:
            assert box[label("domestic_agency")].startswith(real_atlas.get(mem.domestic_agency).name.en)


def test_era_infobox_and_events(real_site, real_atlas):
    for era in real_atlas.eras():
        page = page_of(real_site, "eras", era.id)
        events = real_atlas.events_of.get(era.id, [])
        assert page.infobox[label("events")] == str(len(events))
        for event in events:
            assert event.name.en in page.sections[label("h_timeline")]


def test_events_appear_on_every_page_they_involve_and_on_the_timeline(real_site, real_atlas):
    import html
    import re

    timeline = (real_site / "timeline" / "index.html").read_text(encoding="utf-8")
    all_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", timeline)).split())
    for event in real_atlas.events():
        assert event.name.en in all_text, event.id
        for rid in event.involves:
            page = page_of(real_site, real_atlas.kind_of[rid], rid)
            assert event.name.en in page.sections[label("h_timeline")], (event.id, rid)
    assert timeline


def test_referenced_by_lists_every_referrer(real_site, real_atlas):
    for target, referrers in real_atlas.referenced_by.items():
        page = page_of(real_site, real_atlas.kind_of[target], target)
        section = page.sections[label("h_referenced_by")]
        for rid in referrers:
            assert real_atlas.get(rid).name.en in section, (target, rid)


def test_successors_are_derived_from_predecessors(real_site, real_atlas):
    for dev in real_atlas.all("devices"):
        for pred in dev.predecessors:
            related = " ".join(page_of(real_site, "devices", pred).sections[label("h_related")].split())
            assert dev.name.en in related


def test_member_count_is_derived(real_site, real_atlas):
    n = sum(1 for m in real_atlas.all("members") if m.role in ("host", "member"))
    html = (real_site / "members" / "index.html").read_text(encoding="utf-8")
    assert label("current_members").format(n=n) in html
    assert n == 7


def test_every_source_is_on_the_references_page(real_site, real_atlas):
    page = parse(real_site / "references" / "index.html")
    for sid in real_atlas.records["sources"]:
        assert sid in page.ids


def test_search_indexes_text_not_chart_labels_or_source_lists(real_site):
    """Charts (tick labels) and each page's list of sources are left out of
    the search index; the events table and the references page stay in."""
    import json

    text = (real_site / "search" / "search_index.json").read_text(encoding="utf-8")
    # As Material serialises it, but in UTF-8: Chinese text as itself, not as \u escapes.
    assert json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False) == text and "\\u4e" not in text
    docs = json.loads(text)["docs"]
    assert any(d["location"].startswith("zh/devices/jet/") for d in docs)  # both languages
    jet = {d["location"]: d["text"] for d in docs if d["location"].startswith("devices/jet/")}
    assert "devices/jet/#timeline" in jet and "Design work on JET begins" in jet["devices/jet/#timeline"]
    assert not any(loc.endswith("#sources") for loc in jet)
    assert "19701980" not in jet["devices/jet/#timeline"]  # the strip's decade labels
    iter_ = " ".join(d["text"] for d in docs if d["location"].startswith("devices/iter/"))
    assert "2035" in iter_ and "cost estimates by the year they were stated" not in iter_  # table in, chart out
    refs = " ".join(d["text"] for d in docs if d["location"].startswith("references/"))
    assert "European Fusion Development Agreement" in refs

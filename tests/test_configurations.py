"""A page per configuration (#16): each explains it in both languages and lists its devices, and
every device's configuration leads to it."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from conftest import ROOT
from macros.render import markdown as render

DOCS = ROOT / "docs" / "configurations"


def test_every_configuration_a_device_has_has_a_page_in_both_languages(real_atlas):
    used = {d.kind for d in real_atlas.all("devices")}
    pages = {p.name.split(".", 1)[0] for p in DOCS.glob("*.md")} - {"index"}
    assert pages == used, (sorted(used - pages), sorted(pages - used))  # no page missing, none orphaned
    for kind in used:
        for suffix in (".md", ".zh.md"):
            text = (DOCS / f"{kind}{suffix}").read_text(encoding="utf-8")
            assert text.count("{{ configuration_devices() }}") == 1, kind
            prose = text.split("\n# ", 1)[1].split("{{", 1)[0]
            assert len(prose) > (40 if suffix == ".zh.md" else 80), (kind, suffix)  # an explanation, not a stub
            if suffix == ".zh.md":
                assert len(re.findall(r"[\u4e00-\u9fff]", prose)) >= 30, kind


def test_a_configuration_lists_only_its_devices_without_repeating_it(real_atlas):
    out = render.configuration_devices(real_atlas, lang="en", page_id="stellarator")
    n = sum(1 for d in real_atlas.all("devices") if d.kind == "stellarator")
    assert f"holds {n} devices" in out
    assert "/devices/wendelstein-7-x.md" in out and "/devices/iter.md" not in out
    assert 'data-columns="name,status,' in out and 'data-facets="status,country"' in out
    with pytest.raises(ValueError, match="docs/configurations"):
        render.configuration_devices(real_atlas, lang="en", page_id="index")


def test_the_configurations_index_counts_from_the_data(real_atlas):
    out = render.configurations_table(real_atlas, lang="zh")
    counts = Counter(d.kind for d in real_atlas.all("devices"))
    assert f"| [托卡马克](/configurations/tokamak.md) | {counts['tokamak']} |" in out
    assert "## 惯性约束" in out


def test_built_pages_link_devices_to_their_configuration(real_site, real_atlas):
    iter_page = (real_site / "devices" / "iter" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../configurations/tokamak/"' in iter_page
    page = (real_site / "zh" / "configurations" / "stellarator" / "index.html").read_text(encoding="utf-8")
    n = sum(1 for d in real_atlas.all("devices") if d.kind == "stellarator")
    assert f"本图集收录了{n}台这种位形的装置。" in page
    assert page.count('href="../../devices/') >= n  # each of its devices, in the Chinese edition
    index = (real_site / "configurations" / "index.html").read_text(encoding="utf-8")
    assert 'href="../configurations/' not in index and 'href="tokamak/"' in index

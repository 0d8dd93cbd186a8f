"""Charts drawn from the data: marks match records, output is deterministic,
SVG is well-formed and accessible, and ids stay unique on each page."""

import os
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from conftest import FIXTURES, ROOT, build_ok, make_project
from htmlcheck import page_of
from macros.render import charts, geo
from macros.core.atlas import PAGE_KINDS, load_atlas

SVG = re.compile(r"<svg\b.*?</svg>", re.S)


@pytest.fixture(scope="module")
def atlas(real_atlas):
    return real_atlas


def marks(svg: str, prefix: str) -> list[str]:
    return re.findall(rf'id="{prefix}([^"]+)"', svg)


def test_programme_timeline_draws_every_event_and_era(atlas):
    svg = charts.programme_timeline_svg(atlas, "en")
    assert sorted(marks(svg, "timeline-event-")) == sorted(atlas.records["events"])
    assert sorted(marks(svg, "timeline-era-")) == sorted(atlas.records["eras"])


def test_schedule_drift_shows_every_baseline(atlas):
    iter_ = atlas.get("iter")
    svg = charts.schedule_drift_svg(iter_, "en")
    drawn = set(marks(svg, "schedule-baseline-"))
    from macros.core.atlas import date_key

    baselines = sorted(iter_.schedule_baselines, key=lambda b: date_key(b.stated))
    for i, b in enumerate(baselines):
        for field in ("first_plasma", "start_research_operation", "first_dt"):
            assert (f"{i}-{b.stated}-{field}" in drawn) == bool(getattr(b, field)), (b.stated, field)


def test_cost_chart_draws_every_estimate(atlas):
    iter_ = atlas.get("iter")
    assert len(marks(charts.cost_estimates_svg(iter_, "en"), "costs-cost-")) == len(iter_.cost_estimates)


def test_shares_map_and_cross_sections_match_the_data(atlas):
    with_share = {m.id for m in atlas.all("members") if m.share}
    assert set(marks(charts.shares_svg(atlas, "zh"), "shares-share-")) == with_share
    assert set(marks(charts.sites_map_svg(atlas, "en"), "map-site-")) == set(atlas.records["sites"])
    tokamaks = {d.id for d in atlas.all("devices") if d.kind in ("tokamak", "spherical-tokamak")
                and d.parameters.major_radius and d.parameters.minor_radius}
    assert set(marks(charts.cross_sections_svg(atlas, "en"), "xsec-xsec-")) == tokamaks
    assert "iter" in tokamaks


def test_the_map_of_devices_by_country_counts_every_placed_device_once(atlas):
    """One disc per country (hundreds of devices stay legible), counted from the data; the Soviet
    Union's devices stand with Russia's; devices of no single country are said, not placed."""
    svg = charts.devices_map_svg(atlas, "en")
    codes = {d.country for d in atlas.all("devices") if d.country and d.country not in ("EU", "SU")}
    assert set(marks(svg, "countries-country-")) == {c.lower() for c in codes}
    *shown, unplaced = geo.countries_shown(atlas, "en")
    devices = atlas.all("devices")
    assert sum(n for *_, n, _ in shown) + unplaced == len(devices)
    ru = next(row for row in shown if row[0] == "RU")
    assert ru[4] == sum(1 for d in devices if d.country in ("RU", "SU"))
    us = next(row for row in shown if row[0] == "US")
    assert f"<title>United States: {us[4]} devices, {us[5]} operating</title>" in svg
    lon, lat = geo.country_centres()["FR"]
    assert -5 < lon < 8 and 42 < lat < 51  # mainland France, not French Guiana
    assert 60 < geo.country_centres()["RU"][0] < 130  # Russia's polygon, cut at 180 degrees, made whole
    zh = charts.devices_map_svg(atlas, "zh")
    assert "各国的装置" in zh and "台装置" in zh


def test_charts_at_scale_mark_every_record_and_name_the_largest(tmp_path, atlas):
    """With six times the data (more tokamaks with both radii than ``MOST``): every event, site
    and device still has its mark, and the charts that name records name the
    ``MOST`` largest and say so."""
    from bench.synth import generate

    project = make_project(tmp_path / "p")
    generate(ROOT, project, 6)
    big = load_atlas(project)
    assert len(big.records["events"]) > charts.MOST
    svg = charts.programme_timeline_svg(big, "en")
    assert sorted(marks(svg, "timeline-event-")) == sorted(big.records["events"])
    assert sorted(marks(charts.sites_map_svg(big, "en"), "map-site-")) == sorted(big.records["sites"])
    sized = [d.id for d in big.all("devices") if d.parameters.major_radius and d.parameters.plasma_volume]
    assert sorted(marks(charts.device_size_svg(big, "en"), "size-size-")) == sorted(sized)
    xsec = charts.cross_sections_svg(big, "zh")
    drawn = marks(xsec, "xsec-xsec-")
    total = 0
    for kind in ("tokamak", "spherical-tokamak"):  # a panel each, each naming its largest
        tokamaks = [d for d in big.all("devices") if d.kind == kind and d.parameters.major_radius
                    and d.parameters.minor_radius]
        shown = [i for i in drawn if big.get(i).kind == kind]
        assert len(shown) == min(charts.MOST, len(tokamaks)) > 0
        cut = sorted((d.parameters.major_radius.value for d in tokamaks), reverse=True)[len(shown) - 1]
        assert all(big.get(i).parameters.major_radius.value >= cut for i in shown)  # the largest
        total += len(tokamaks)
    assert total > len(drawn) and f"{total}个中最大的{len(drawn)}个" in xsec
    assert "largest of" not in charts.cross_sections_svg(atlas, "en")  # the real data: all named


def test_an_edit_redraws_only_the_charts_that_show_it(tmp_path, monkeypatch):
    """Charts are cached by the values they draw: a new alias for JET (its
    name is short, so no chart shows an alias) redraws nothing, and a new
    major radius redraws the one chart that plots it (the fixture JET has no
    minor radius, so no cross-section), in each language."""
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    monkeypatch.setattr(charts, "CACHE_DIR", tmp_path / "charts")
    atlas_charts = (charts.programme_timeline_svg, charts.shares_svg, charts.device_size_svg,
                    charts.device_performance_svg, charts.cross_sections_svg, charts.sites_map_svg)

    def draw() -> set[str]:
        big = load_atlas(project)
        for make in atlas_charts:
            for lang in ("en", "zh"):
                make(big, lang)
        return {p.name for p in (tmp_path / "charts").iterdir()}

    first = draw()
    assert len(first) == 2 * len(atlas_charts)
    jet = project / "data" / "devices" / "jet.yaml"
    jet.write_text(jet.read_text(encoding="utf-8").replace("status: retired", "status: retired\naliases: [Joint European Torus]"),
                   encoding="utf-8")
    assert draw() == first  # an alias is drawn nowhere
    jet.write_text(jet.read_text(encoding="utf-8").replace("value: 2.96,", "value: 2.97,"), encoding="utf-8")
    redrawn = sorted(name.split("-")[0] for name in draw() - first)
    assert redrawn == ["device_size_svg"] * 2


def test_the_size_chart_marks_each_family_of_configurations(atlas):
    """A marker per family (a square for W7-X among the tokamaks' circles), a colour per status
    (ITER not yet operating), and a legend naming both."""
    svg = charts.device_size_svg(atlas, "en")
    groups = {g.get("id"): {e.get("id") for e in g.iter()} for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")}
    assert "size-size-wendelstein-7-x" in groups["size-sizes-stellarator-operating"]
    assert "size-size-iter" in groups["size-sizes-tokamak-planned"]
    assert "size-size-jet" in groups["size-sizes-tokamak-operating"]
    texts = re.findall(r">([^<>]*)</text>", svg)
    assert {"tokamak", "stellarator or heliotron", "not yet operating"} <= {t.strip() for t in texts}


def test_no_outline_is_clipped_away(atlas):
    """Charts are drawn once (``charts._svg``): a stroke outside the figure's canvas would be
    written as a path without a shape, as the cross-sections' legend was in its second column."""
    iter_ = atlas.get("iter")
    svgs = [charts.device_size_svg(atlas, "en"), charts.device_performance_svg(atlas, "en"),
            charts.sites_map_svg(atlas, "en"), charts.shares_svg(atlas, "en"), charts.programme_timeline(atlas, "en"),
            charts.cost_estimates_svg(iter_, "en"), charts.schedule_drift_svg(iter_, "en")]
    for lang in ("en", "zh"):
        svg = charts.cross_sections_svg(atlas, lang)
        legend = next(g for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g") if g.get("id") == "xsec-legend_1")
        outlines = [e for e in legend.iter("{http://www.w3.org/2000/svg}path")]
        tokamaks = [i for i in marks(svg, "xsec-xsec-") if atlas.get(i).kind == "tokamak"]  # the first panel's
        assert len(outlines) == len(tokamaks) >= 16  # two columns (from 16 entries), each with its outline
        svgs.append(svg)
    for svg in svgs:
        assert not re.findall(r"<path (?![^>]*\bd=)[^>]*>", svg)


def test_log_scales_are_labelled_in_plain_numbers(atlas):
    """Charts keep "$" as text, so matplotlib's mathtext log labels would show raw."""
    iter_ = atlas.get("iter")
    for svg in (charts.cost_estimates_svg(iter_, "en"), charts.device_size_svg(atlas, "en"),
                charts.device_performance_svg(atlas, "zh")):
        labels = re.findall(r">([^<>]*)</text>", svg)
        assert sum(bool(re.fullmatch(r"[0-9.]+", t)) for t in labels) >= 2, labels
        assert not [t for t in labels if "$" in t or "mathdefault" in t], labels
        assert not [t for t in labels if re.search(r"\de[−+-]?\d", t)], labels  # 0.6, not 6e−01


def test_a_build_draws_missing_charts_first_and_only_those(tmp_path, monkeypatch, atlas):
    """Before the pages, the build draws every chart not in the cache, shared
    out between forked processes (with the generated pages); the pages then
    only read the cache."""
    from macros.publish import stubs as pages

    monkeypatch.setattr(charts, "CACHE_DIR", tmp_path / "charts")
    jobs = charts.to_draw(atlas, ("en", "zh"))
    assert ("schedule_drift_svg", "iter", "zh") in jobs and ("sites_map_svg", "", "en") in jobs
    histories = sum(bool(d.schedule_baselines) + bool(d.cost_estimates) for d in atlas.all("devices"))
    assert histories >= 2  # ITER's schedule and costs, at least
    assert len(jobs) == 2 * (7 + histories)  # seven charts of the whole data, each device's histories; both languages
    drawing = pages.prepare(atlas, tmp_path / "docs", processes=2)
    assert (tmp_path / "docs" / "devices" / "iter.zh.md").is_file()  # the generated pages are written...
    drawing.wait()  # ...and the charts of the whole data drawn by the time the pages render
    assert len(list((tmp_path / "charts").glob("*.svg"))) == len(jobs)
    assert charts.to_draw(atlas, ("en", "zh")) == []
    assert pages.prepare(atlas, tmp_path / "docs", processes=2).pool is not None  # (stubs: there are > 50)


def _die(job):
    import os

    os._exit(1)


def test_a_process_that_dies_while_drawing_leaves_the_charts_to_the_pages(tmp_path, monkeypatch, atlas):
    from macros.publish import stubs as pages

    monkeypatch.setattr(charts, "CACHE_DIR", tmp_path / "charts")
    monkeypatch.setattr(pages, "_draw_chart", _die)
    pages.prepare(atlas, tmp_path / "docs", processes=2).wait()  # no exception: the build goes on
    assert (tmp_path / "docs" / "devices" / "iter.md").is_file()  # the stubs written by this process
    assert charts.to_draw(atlas, ("en",))  # charts still missing: each page draws its own


def test_charts_are_deterministic(atlas):
    for make in (charts.programme_timeline_svg, charts.shares_svg, charts.sites_map_svg, charts.cross_sections_svg):
        assert make(atlas, "zh") == make(atlas, "zh")


def test_labels_follow_the_language(atlas):
    zh = charts.programme_timeline_svg(atlas, "zh")
    assert atlas.eras()[0].name.zh in zh and "聚变计划" in zh
    assert atlas.eras()[0].name.en in charts.programme_timeline_svg(atlas, "en")


def test_svg_is_accessible_and_themeable(atlas):
    svg = charts.shares_svg(atlas, "en")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text and root.find(f"{ns}desc").text
    assert "currentColor" in svg and "#010203" not in svg


@pytest.mark.build
def test_pages_with_charts_are_well_formed_with_unique_ids(real_site, atlas):
    pages = [real_site / "index.html", real_site / "zh" / "index.html", real_site / "members" / "index.html",
             real_site / "devices" / "index.html", real_site / "sites" / "index.html",
             real_site / "devices" / "iter" / "index.html", real_site / "zh" / "devices" / "iter" / "index.html",
             real_site / "devices" / "jet" / "index.html"]
    for path in pages:
        html = path.read_text(encoding="utf-8")
        svgs = SVG.findall(html)
        assert svgs, path
        for svg in svgs:
            ET.fromstring(svg)  # well-formed XML
        ids = Counter(re.findall(r'\bid="([^"]+)"', html))
        assert [i for i, n in ids.items() if n > 1] == [], path
        assert html.count("<figure") == html.count("</figure>"), path  # no stray end tag
    assert '<details class="atlas-data"' in (real_site / "sites" / "index.html").read_text(encoding="utf-8")


@pytest.mark.build
def test_each_entity_page_strip_has_one_mark_per_event(real_site, atlas):
    for kind in PAGE_KINDS:
        for rid in atlas.records[kind]:
            html = (real_site / kind / rid / "index.html").read_text(encoding="utf-8")
            drawn = re.findall(rf'id="strip-{re.escape(rid)}-event-([^"]+)"', html)
            assert sorted(drawn) == sorted(e.id for e in atlas.events_of.get(rid, [])), (kind, rid)


@pytest.mark.build
def test_building_twice_gives_identical_svg(tmp_path, fixture_site):
    project = make_project(tmp_path / "p", FIXTURES / "good" / "data", FIXTURES / "good" / "prose")
    again = build_ok(project, tmp_path / "site")
    for rel in ("index.html", "zh/index.html", "devices/iter/index.html", "sites/index.html", "members/index.html"):
        first = SVG.findall((fixture_site / rel).read_text(encoding="utf-8"))
        second = SVG.findall((again / rel).read_text(encoding="utf-8"))
        assert first and first == second, rel


def test_charts_are_cropped_as_savefig_crops_them():
    """charts._svg draws a figure once and crops it to the box savefig's
    bbox_inches="tight" would (which draws it twice): same width and height,
    a legend outside the axes included."""
    import io

    plt = charts._pyplot()
    with charts._missing_glyphs_quiet():
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot([1, 2, 3], [10, 1000, 100], label="a long legend entry, 聚变")
        ax.set_yscale("log")
        ax.set_title("A title")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
        ours = charts._svg(fig)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight")
        plt.close(fig)
    size = re.compile(r'width="([\d.]+)pt" height="([\d.]+)pt" viewBox="([-\d. ]+)"')
    (w, h, box), (w2, h2, _) = size.search(ours).groups(), size.search(buffer.getvalue()).groups()
    assert abs(float(w) - float(w2)) < 0.5 and abs(float(h) - float(h2)) < 0.5
    assert float(w) > 6 * 72  # the legend outside the axes widens the box beyond the figure
    assert [float(v) for v in box.split()][2:] == [float(w), float(h)]


# --------------------------------------------------------------------------
# Fonts: Chinese is measured with a CJK font, the font list is rebuilt when
# fonts were installed after matplotlib cached it, and without a CJK font
# there is one warning, not one per glyph.
# --------------------------------------------------------------------------

CJK_FILES = charts._fontconfig_files(charts.CJK_FONTS)
needs_cjk = pytest.mark.skipif(not CJK_FILES, reason=f"no CJK font installed ({', '.join(charts.CJK_FONTS)}): "
                               f"sudo apt-get install {charts.CJK_PACKAGE}, or make browser-deps")


def glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


@needs_cjk
def test_chinese_chart_text_is_measured_with_a_cjk_font(atlas):
    import warnings

    from matplotlib import font_manager

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        svg = charts.shares_svg(atlas, "zh") + charts.device_performance_svg(atlas, "zh")
    assert re.search(r"[\u4e00-\u9fff]", svg)  # Chinese text was drawn
    assert glyph_warnings(caught) == []
    family = charts._font_family()
    assert family[0] == charts.LATIN_FONT and family[1] in charts.CJK_FONTS
    assert font_manager.findfont(font_manager.FontProperties(family=family[1])) in CJK_FILES


@pytest.mark.parametrize("cached, cache_time, fonts_time, stale", [
    ({"DejaVu Sans", "Noto Sans CJK SC"}, 100.0, 200.0, False),  # has a CJK font: never rebuilt
    ({"DejaVu Sans", "WenQuanYi Zen Hei"}, None, 200.0, False),
    ({"DejaVu Sans"}, 100.0, 200.0, True),  # fonts installed after the list was cached
    ({"DejaVu Sans"}, 300.0, 200.0, False),  # nothing installed since: rebuilding would not help
    ({"DejaVu Sans"}, None, 200.0, False),  # no cache file: the list was just built
    (set(), 100.0, 100.0, False),
])
def test_the_font_list_is_stale_when_fonts_changed_after_it_and_it_lacks_cjk(cached, cache_time, fonts_time, stale):
    assert charts.font_list_is_stale(cached, charts.CJK_FONTS, cache_time, fonts_time) is stale


@needs_cjk
def test_a_font_list_cached_before_the_cjk_fonts_were_installed_is_rebuilt(tmp_path):
    """matplotlib never notices fonts installed after it cached its font list:
    the charts module rebuilds the list once, then draws Chinese without a
    missing glyph."""
    import json
    import subprocess
    import sys

    env = dict(os.environ, MPLCONFIGDIR=str(tmp_path))
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True)
    (cache,) = tmp_path.glob("fontlist-v*.json")
    fonts = json.loads(cache.read_text(encoding="utf-8"))
    fonts["ttflist"] = [f for f in fonts["ttflist"] if f["fname"] not in CJK_FILES]  # as before the install
    cache.write_text(json.dumps(fonts), encoding="utf-8")
    os.utime(cache, (946684800, 946684800))  # 2000: older than the font folders
    draw = (
        "import warnings\n"
        "from macros.render import charts\n"
        "from macros.core.atlas import load_atlas\n"
        "atlas = load_atlas(r'%s')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    charts.warm_up()\n"
        "    charts.shares_svg(atlas, 'zh')\n"
        "print(charts._font_family()[1:], sum('Glyph' in str(w.message) for w in caught))\n"
    ) % (FIXTURES / "good")
    out = subprocess.run([sys.executable, "-c", draw], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    family, missing = out.stdout.rsplit(" ", 1)
    assert family.strip("[]'") in charts.CJK_FONTS and int(missing) == 0, out.stdout + out.stderr
    assert any(f["fname"] in CJK_FILES for f in json.loads(cache.read_text(encoding="utf-8"))["ttflist"])


def test_without_a_cjk_font_one_warning_names_the_package_and_glyphs_are_quiet(atlas, monkeypatch, caplog):
    import warnings

    monkeypatch.setattr(charts, "CJK_FONTS", ("Fusion Atlas No Such CJK",))
    monkeypatch.setattr(charts, "_FAMILY", None)
    monkeypatch.setattr(charts, "_reload_font_list", lambda files: None)  # leave the user's cache alone
    with caplog.at_level("WARNING", logger="macros.render.charts"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts.warm_up()
        svg = charts.shares_svg(atlas, "zh") + charts.device_performance_svg(atlas, "zh")
    assert re.search(r"[\u4e00-\u9fff]", svg)
    assert charts._font_family() == [charts.LATIN_FONT]
    assert glyph_warnings(caught) == []
    said = [r.getMessage() for r in caplog.records if r.name == "macros.render.charts"]
    assert len(said) == 1 and charts.CJK_PACKAGE in said[0], said
    # Outside the drawing, matplotlib's warning is untouched (the filter is not global).
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plt = charts._pyplot()
        fig, ax = plt.subplots()
        ax.set_title("聚变")
        charts._svg(fig)
        plt.close(fig)
    assert glyph_warnings(caught)


def test_a_change_of_the_installed_fonts_draws_the_charts_again(tmp_path, monkeypatch, atlas):
    """The installed fonts are part of a chart's cache key: a chart measured before a CJK
    font was installed is not taken from the cache after."""
    monkeypatch.setattr(charts, "CACHE_DIR", tmp_path / "charts")
    charts.shares_svg(atlas, "zh")
    assert charts.shares_svg.is_cached(atlas, "zh")
    monkeypatch.setattr(charts, "_fonts_installed", lambda: "fonts installed later")
    assert not charts.shares_svg.is_cached(atlas, "zh")

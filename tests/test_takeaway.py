"""What readers take away (#18): the Data page and its downloads, the footer's licences,
citations of every page and of the atlas, the data behind each chart, how current the facts
are, the timeline and the references as tables: the functions, the built site, and in Chromium
(both languages, served and from the archive on disk)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest

from browser import chromium_available
from htmlcheck import broken_links

try:  # test_browser.py's fixtures: the browser, the served site, the archive unzipped
    from test_browser import archive_dir, browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover
    pass

from macros.core import facts
from macros.render import cite, urls

needs_browser = pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")
VISIBLE = ".atlas-table tbody tr:not([hidden])"


# --------------------------------------------------------------------------
# Plain functions
# --------------------------------------------------------------------------


def test_root_links_resolve_from_any_page_online_and_on_disk():
    html = '<a href="@root/data/#cite">x</a><a href="@root/data/charts/a.csv">y</a>'
    assert urls.resolve_root_links(html, "devices/jet/", True) == '<a href="../../data/#cite">x</a><a href="../../data/charts/a.csv">y</a>'
    assert urls.resolve_root_links(html, "", True) == '<a href="data/#cite">x</a><a href="data/charts/a.csv">y</a>'
    # On disk there is no server to open a folder's index.html.
    assert urls.resolve_root_links(html, "zh/devices/jet.html", False).startswith('<a href="../../data/index.html#cite">')
    assert urls.resolve_root_links("<p>@root/ in text</p>", "x/", True) == "<p>@root/ in text</p>"


CITABLE = cite.Citable(title="JT-60SA {50% & more}", url="https://example.org/devices/jt-60sa/", lang="en",
                       version="0.2.0", data_date="2026-12-05", key="fusion-atlas-devices-jt-60sa")


def test_bibtex_escapes_and_keeps_the_title_as_written():
    text = cite.bibtex(CITABLE)
    assert text.startswith("@misc{fusion-atlas-devices-jt-60sa,\n")
    assert "title = {{JT-60SA \\{50\\% \\& more\\}}}" in text
    assert "author = {{Fusion Atlas contributors}}" in text  # a body, not "contributors, F. A."
    assert "version = {0.2.0}" in text and "year = {2026}" in text and "url = {https://example.org/devices/jt-60sa/}" in text
    assert text.count("{") == text.count("}")


def test_ris_has_one_line_per_tag_and_ends_the_record():
    lines = cite.ris(cite.Citable(**{**CITABLE.__dict__, "title": "Line one\nER  - injected"})).splitlines()
    assert lines[0] == "TY  - ELEC" and lines[-1] == "ER  - "
    assert "TI  - Line one ER - injected" in lines  # a newline in a title cannot end the record early
    assert "DA  - 2026/12/05" in lines and "ET  - 0.2.0" in lines
    assert sum(1 for line in lines if line.startswith("ER  -")) == 1


def test_csl_json_is_valid_csl_shaped_json():
    (item,) = json.loads(cite.csl_json(CITABLE))
    assert item["type"] == "webpage" and item["issued"] == {"date-parts": [[2026, 12, 5]]}
    assert item["version"] == "0.2.0" and item["URL"] == CITABLE.url and item["author"] == [{"literal": "Fusion Atlas contributors"}]


def test_freshness_threshold_and_what_may_go_stale(real_atlas):
    assert facts.stale_before(real_atlas) < real_atlas.data_date[:7]
    y, m = map(int, real_atlas.data_date[:7].split("-"))
    sy, sm = map(int, facts.stale_before(real_atlas).split("-"))
    assert (y * 12 + m) - (sy * 12 + sm) == facts.STALE_AFTER_MONTHS
    found = facts.stale(real_atlas)
    assert found, "some facts about running things are older than the threshold"
    for s in found:
        assert facts.is_running(real_atlas, s.rid)
        assert s.path[-1] not in facts.FIXED  # geometry does not go stale
        assert getattr(s.fact, "status", "planned") != "actual"  # nor a date or record reached
        assert s.as_of < facts.stale_before(real_atlas)


def test_changes_since_a_release_are_computed_not_typed(tmp_path):
    old = facts.Release("0.1.0", "2026-01-01", {"devices/a:parameters.major_radius": "1 m", "devices/a:first_plasma": "1990 (actual)",
                                                "devices/b:first_plasma": "2000 (actual)"}, frozenset({"devices/a", "devices/b"}))
    now = {"devices/a:parameters.major_radius": "1.1 m", "devices/a:parameters.minor_radius": "0.3 m",
           "devices/c:first_plasma": "2020 (actual)"}
    ch = facts.changes(old, now, {"devices/a", "devices/c"})
    assert ch.added_records == ["devices/c"] and ch.removed_records == ["devices/b"]
    assert ch.changed == [("devices/a:parameters.major_radius", "1 m", "1.1 m")]
    assert ch.added == [("devices/a:parameters.minor_radius", "0.3 m")]
    assert ch.removed == [("devices/a:first_plasma", "1990 (actual)")]
    assert ch.facts_of_added_records == 1


def test_the_kept_release_is_the_newest_older_than_the_version(tmp_path):
    folder = tmp_path / facts.RELEASES_DIR
    folder.mkdir(parents=True)
    for v in ("0.1.0", "0.2.0", "0.10.0"):
        (folder / f"{v}.json").write_text(facts.release_json(v, "2026-01-01", {}, []), encoding="utf-8")
    assert facts.last_release(tmp_path, "0.2.0").version == "0.1.0"
    assert facts.last_release(tmp_path, "0.11.0").version == "0.10.0"  # by number, not by text
    assert facts.last_release(tmp_path, "0.1.0") is None


def test_the_raw_release_reads_yaml_the_model_would_refuse(tmp_path):
    (tmp_path / "data" / "devices").mkdir(parents=True)
    (tmp_path / "data" / "sources").mkdir(parents=True)
    (tmp_path / "data" / "devices" / "x.yaml").write_text(
        "id: x\nretired_field: 1\nparameters:\n  major_radius: {value: 2, unit: m, as_of: '2020', source: s}\n"
        "records:\n  - {metric: pulse_length, value: 5, unit: s, date: '2021', as_of: '2021', source: s}\n", encoding="utf-8")
    (tmp_path / "data" / "sources" / "s.yaml").write_text("id: s\naccessed: '2026-11-22'\n", encoding="utf-8")
    date, table, records = facts.raw_release(tmp_path)
    assert date == "2026-11-22" and records == {"devices/x", "sources/s"}
    assert table == {"devices/x:parameters.major_radius": "2 m", "devices/x:records[pulse_length@2021]": "5 s"}


def test_the_kept_release_matches_a_fresh_reading_of_its_commit():
    kept = facts.read_release(Path(__file__).parents[1] / facts.RELEASES_DIR / "0.1.0.json")
    assert kept.version == "0.1.0" and kept.data_date == "2026-11-22"
    assert kept.facts["devices/jet:parameters.toroidal_field"] == "3.45 T"
    assert "devices/iter" in kept.records and len(kept.records) == 480


# --------------------------------------------------------------------------
# The built site
# --------------------------------------------------------------------------


def _text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def test_every_page_ends_with_its_citation_and_the_footer_names_the_licences(real_site):
    pages = [p for p in real_site.rglob("*.html") if "http-equiv=\"refresh\"" not in p.read_text(encoding="utf-8")[:2000]]
    assert len(pages) > 400
    for path in pages:
        html = path.read_text(encoding="utf-8")
        if path.name == "404.html":
            continue
        assert html.count('<details class="atlas-cite"') == 1, path
        assert 'rel="license">CC BY 4.0</a>' in html and ">MIT</a>" in html, path
        assert "@root/" not in html, path
    jet = (real_site / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert "@misc{fusion-atlas-devices-jet," in jet and "TY  - ELEC" in jet and "&quot;type&quot;: &quot;webpage&quot;" in jet
    assert 'href="../../data/#licences"' in jet and 'href="../../data/#cite"' in jet
    zh = (real_site / "zh" / "devices" / "jet" / "index.html").read_text(encoding="utf-8")
    assert "引用本页" in zh and "文字与数据" in zh and 'href="../../data/#licences"' in zh
    assert "language = {chinese}" in zh and "fusion-atlas-devices-jet-zh" in zh


def test_entity_pages_state_their_newest_fact_and_flag_stale_ones(real_site, real_atlas):
    iter_page = _text(real_site / "devices" / "iter" / "index.html")
    newest = facts.newest(real_atlas, "iter")
    from macros.render.text import date

    assert f"Newest fact on this page: as of {date(newest)}." in iter_page
    flagged = [s for s in facts.stale(real_atlas) if real_atlas.kind_of[s.rid] == "devices"]
    assert flagged
    page = _text(real_site / "devices" / flagged[0].rid / "index.html")
    assert f"as of {date(flagged[0].as_of)}; may be out of date" in page


def test_the_data_page_lists_every_download_and_each_resolves(real_site, real_atlas):
    for lang in ("", "zh/"):
        page = real_site / lang / "data" / "index.html"
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'href="([^"#]+\.(?:csv|json|bib|ris|txt|md))"', html)
        assert len(hrefs) > 40
        for href in hrefs:
            assert (page.parent / href).resolve().is_file(), (lang, href)
        for kind in real_atlas.records:
            assert f"{kind}.csv" in html and f"schemas/{kind}.schema.json" in html
        assert "charts/device-parameters.csv" in html and "cite/fusion-atlas.bib" in html
    text = _text(real_site / "data" / "index.html")
    assert "Since release 0.1.0 (data as of 22 November 2026)" in text
    assert "Joint European Torus parameters.toroidal_field changed 3.45 T 3.5 T" in text.replace("&#95;", "_")
    assert f"{len(facts.stale(real_atlas))} facts about things still running or planned" in text


def test_chart_data_files_hold_what_the_charts_draw(real_site, real_atlas):
    charts = real_site / "data" / "charts"
    rows = list(csv.DictReader(io.StringIO((charts / "device-parameters.csv").read_text(encoding="utf-8"))))
    iter_row = next(r for r in rows if r["id"] == "iter")
    assert float(iter_row["major_radius"]) == real_atlas.get("iter").parameters.major_radius.value
    assert iter_row["major_radius_source"] == real_atlas.get("iter").parameters.major_radius.source
    meta = json.loads((charts / "device-parameters.json").read_text(encoding="utf-8"))
    assert meta["csv"] == "device-parameters.csv" and meta["rows"] == len(rows) and meta["version"] == real_atlas.version
    assert meta["as_of"] and {s["id"] for s in meta["sources"]} >= {iter_row["major_radius_source"]}
    costs = list(csv.DictReader(io.StringIO((charts / "costs-iter.csv").read_text(encoding="utf-8"))))
    assert len(costs) == len(real_atlas.get("iter").cost_estimates) and {"EUR-billion", "USD-billion"} <= {c["unit"] for c in costs}
    # Each chart's figure links its files, from wherever it is drawn.
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'href="data/charts/programme-timeline.csv"' in home
    iter_html = (real_site / "zh" / "devices" / "iter" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../../data/charts/costs-iter.csv"' in iter_html and 'href="../../../data/charts/schedule-iter.json"' in iter_html


def test_no_link_is_broken_after_the_new_links(real_site):
    assert broken_links(real_site) == []


def test_references_are_one_table_ordered_by_publisher_with_anchors(real_site, real_atlas):
    html = (real_site / "references" / "index.html").read_text(encoding="utf-8")
    assert 'data-table="references"' in html
    for s in real_atlas.all("sources"):
        assert f'<span id="{s.id}"></span>' in html, s.id
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    publishers = [re.findall(r'data-sort="([^"]*)"', row)[1] for row in body.split("<tr>")[1:]]
    assert len(publishers) == len(real_atlas.records["sources"]) and publishers == sorted(publishers)


# --------------------------------------------------------------------------
# In Chromium
# --------------------------------------------------------------------------


def _open(browser, url: str, errors: list, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True).new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_timeline_filters_by_entity_and_keeps_the_view(browser, site_url, real_atlas, lang):
    errors: list = []
    page = _open(browser, f"{site_url}{lang}timeline/", errors)
    total = len(real_atlas.records["events"])
    assert page.locator(VISIBLE).count() == total
    involving_iter = sum(1 for e in real_atlas.events() if "iter" in e.involves)
    page.locator(".atlas-table select[data-facet=involves]").select_option("iter")
    assert page.locator(VISIBLE).count() == involving_iter
    page.locator(".atlas-table select[data-facet=status]").select_option("planned")
    planned_iter = sum(1 for e in real_atlas.events() if "iter" in e.involves and e.date.status == "planned")
    assert page.locator(VISIBLE).count() == planned_iter > 0
    assert "t.events.involves=iter" in page.url and "t.events.status=planned" in page.url
    again = _open(browser, page.url, errors)
    assert again.locator(VISIBLE).count() == planned_iter
    with again.expect_download() as download:
        again.locator(".atlas-table__csv").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == planned_iter + 1
    assert errors == []


@needs_browser
@pytest.mark.browser
def test_references_filter_and_a_footnote_lands_on_its_source(browser, site_url, real_atlas):
    errors: list = []
    page = _open(browser, f"{site_url}references/", errors)
    assert page.locator(VISIBLE).count() == len(real_atlas.records["sources"])
    page.locator(".atlas-table__filter").fill("iter organization")
    shown = page.locator(VISIBLE).count()
    assert 0 < shown < len(real_atlas.records["sources"])
    page.locator(".atlas-table select[data-facet=source_type]").select_option("peer-reviewed")
    assert page.locator(VISIBLE).count() <= shown
    jet = _open(browser, f"{site_url}devices/jet/", errors)
    jet.locator(".footnote a[href*='references/#']").first.click()
    target = jet.url.split("#", 1)[1]
    assert jet.locator(f"[id='{target}']").count() == 1 and target in real_atlas.kind_of
    assert errors == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("where", ["served", "archive"])
def test_footer_citation_and_chart_data_links_work(browser, site_url, archive_dir, where, real_atlas):
    errors: list = []
    for lang in ("", "zh/"):
        if where == "served":
            start = f"{site_url}{lang}devices/iter/"
        else:
            start = (archive_dir / lang / "devices" / "iter.html").as_uri()
        page = _open(browser, start, errors)
        # The citation box opens and holds the three formats.
        page.locator("details.atlas-cite summary").click()
        assert "@misc{fusion-atlas-devices-iter" in page.locator("pre.atlas-cite__bibtex").inner_text()
        assert page.locator("pre.atlas-cite__ris").inner_text().startswith("TY  - ELEC")
        json.loads(page.locator("pre.atlas-cite__csl-json").inner_text())
        # The chart's CSV is a file of the site.
        href = page.locator(".atlas-chart-data a[href$='costs-iter.csv']").get_attribute("href")
        assert href and not href.startswith(("/", "http"))
        # The footer's licence link opens the Data page at its licences.
        page.locator(".atlas-footer a[rel=license]").click()
        page.wait_for_load_state()
        assert page.locator("#licences").count() == 1
        assert page.locator("[data-table=downloads]").count() == 1
        assert ("/zh/" in page.url) == bool(lang)
        assert page.locator("#cite").count() == 1 and page.locator("pre.atlas-cite__bibtex").count() == 2  # the atlas, this page
    assert errors == []

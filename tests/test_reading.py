"""Reading the atlas (#17): layout at 1280 and 390 px, phones, Chinese typography, theme strings,
charts a reader can read and identify, print; in Chromium, both languages, light and dark.
Screenshots of every page type at both widths go to test-artifacts/screens/."""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from browser import chromium_available
from conftest import ROOT

try:  # test_browser.py's fixtures: the browser, the served site
    from test_browser import browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover
    pass

from macros.render import charts
from macros.render.text import short_name

needs_browser = pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")
SCREENS = ROOT / "test-artifacts" / "screens"
PAGE_TYPES = {  # one page of each type
    "home": "", "device": "devices/iter/", "member": "members/eu/", "era": "eras/iter-construction/",
    "organisation": "organisations/f4e/", "site": "sites/cadarache/", "person": "people/bernard-bigot/",
    "devices": "devices/", "timeline": "timeline/", "references": "references/", "data": "data/",
}


# --------------------------------------------------------------------------
# Plain functions
# --------------------------------------------------------------------------


def test_the_cross_section_is_a_d_when_the_triangularity_is_known():
    ellipse = charts.plasma_outline(6.2, 2.0, 1.85, None, points=360)
    d_shape = charts.plasma_outline(6.2, 2.0, 1.85, 0.49, points=360)
    top = max(d_shape, key=lambda p: p[1])
    assert math.isclose(top[1], 1.85 * 2.0, rel_tol=1e-3)
    assert math.isclose(top[0], 6.2 - 0.49 * 2.0, abs_tol=0.05)  # the top leans inwards: a D
    assert math.isclose(max(ellipse, key=lambda p: p[1])[0], 6.2, abs_tol=0.05)
    assert math.isclose(min(p[0] for p in d_shape), 6.2 - 2.0, abs_tol=1e-3)  # radii unchanged
    assert math.isclose(max(p[0] for p in d_shape), 6.2 + 2.0, abs_tol=1e-3)


def test_map_labels_never_overlap_and_skip_what_does_not_fit():
    points = [(100, 100, 40, 8), (102, 101, 40, 8), (300, 100, 40, 8), (101, 99, 40, 8), (104, 100, 40, 8),
              (100, 102, 40, 8), (103, 98, 40, 8), (99, 101, 40, 8), (98, 100, 40, 8), (101, 101, 40, 8)]
    chosen = charts.place_labels(points)
    assert {i for i, _ in chosen} >= {0, 1, 2}
    boxes = []
    for i, (dx, dy, ha) in chosen:
        x, y, w, h = points[i]
        left = x + dx - (w if ha == "right" else w / 2 if ha == "center" else 0)
        boxes.append((left, y + dy, left + w, y + dy + h))
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            A, B = boxes[a], boxes[b]
            assert A[2] <= B[0] or A[0] >= B[2] or A[3] <= B[1] or A[1] >= B[3], (chosen[a], chosen[b])
    assert len(chosen) < len(points)  # ten labels on one spot cannot all be placed


def test_a_large_disc_takes_its_label_on_the_side_that_is_free():
    """A label moves out by its disc's reach, left as well as right: a large disc with
    neighbours on its right is named on its left, clear of itself."""
    disc, neighbour = (100, 100, 40, 8), (130, 100, 20, 8)
    boxes = [(80, 80, 120, 120), (125, 95, 135, 105), (135, 95, 175, 125)]  # the disc, the neighbour and its label
    ((index, (dx, dy, ha)),) = charts.place_labels([disc], boxes, radii=[20])
    assert ha == "right" and dx <= -20 and 100 + dx <= 80  # the label ends left of the disc
    assert charts.place_labels([disc], boxes) == []  # without the reach, no spot clears the disc


def test_the_countries_with_most_devices_are_named_on_the_map(real_atlas):
    from macros.render.geo import countries_shown

    for lang in ("en", "zh"):
        svg = charts.devices_map_svg(real_atlas, lang)
        names = {t.strip() for t in re.findall(r">([^<>]*)</text>", svg)}
        largest = [c[3] for c in countries_shown(real_atlas, lang)[:-1]][:6]
        assert [n for n in largest if n not in names] == [], lang


def test_tables_show_the_names_readers_use():
    assert short_name("Experimental Advanced Superconducting Tokamak", ["EAST", "HT-7U"]) == "EAST"
    assert short_name("JT-60SA", []) == "JT-60SA"
    assert short_name("A Very Long Name Without Alias", []) == "A Very Long Name Without Alias"


def test_costs_are_drawn_one_currency_per_panel(real_atlas):
    svg = charts.cost_estimates_svg(real_atlas.get("iter"), "en")
    assert "billion EUR" in svg and "billion USD" in svg  # each axis names its currency
    assert svg.count('id="costs-axes_') == len({c.unit for c in real_atlas.get("iter").cost_estimates})


def test_timeline_dots_say_what_they_are(real_atlas):
    svg = charts.programme_timeline_svg(real_atlas, "zh")
    first = real_atlas.events()[0]
    assert f'id="timeline-event-{first.id}"' in svg or f'id="event-{first.id}"' in svg
    assert re.search(r"<title>[^<]*" + re.escape(first.name.zh) + "</title>", svg)


# --------------------------------------------------------------------------
# The built site
# --------------------------------------------------------------------------


def _text(path: Path) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")).split())


def test_chinese_pages_use_full_width_punctuation_and_chinese_theme_strings(real_site):
    iter_zh = (real_site / "zh" / "devices" / "iter" / "index.html").read_text(encoding="utf-8")
    assert 'title="Permanent link"' not in iter_zh and 'title="永久链接"' in iter_zh
    assert "Jump back to footnote" not in iter_zh and "返回正文中第1个脚注处" in iter_zh
    text = _text(real_site / "zh" / "devices" / "iter" / "index.html")
    assert "（计划）" in text and " (计划)" not in text
    assert re.search(r"[\u4e00-\u9fff] ?\((计划|其他来源)", text) is None
    assert "，" in iter_zh.split('class="footnote"')[1][:3000]  # footnotes: "标题，出版方，日期。"
    for page in ("zh/eras/iter-construction/index.html", "zh/members/eu/index.html", "zh/people/index.html"):
        body = _text(real_site / page)
        body = re.sub(r"@misc\{.*", "", body)  # (the citation box holds BibTeX)
        assert re.search(r"[\u4e00-\u9fff][:;] ", body) is None, page


def test_entity_pages_have_no_empty_left_sidebar(real_site):
    for page in ("devices/iter/index.html", "zh/members/eu/index.html", "devices/index.html"):
        html = (real_site / page).read_text(encoding="utf-8")
        assert 'data-md-component="sidebar" data-md-type="navigation" hidden' in html or \
            'class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation" hidden' in html, page


# --------------------------------------------------------------------------
# In Chromium
# --------------------------------------------------------------------------

MEASURE = """() => {
  const col = document.querySelector('.md-content__inner');
  const box = document.querySelector('.md-typeset .infobox');
  const lead = box ? [...col.querySelectorAll(':scope > p')][0] : null;
  const strip = document.querySelector('.atlas-strip');
  const wraps = [...document.querySelectorAll('.md-typeset__scrollwrap')]
    .filter(w => w.offsetParent !== null && !w.closest('.infobox'));
  const rows = [...document.querySelectorAll('article tr')].filter(r => !r.closest('.infobox') && r.offsetParent !== null);
  const texts = [...document.querySelectorAll('svg.atlas-chart text, svg.atlas-strip text')]
    .map(t => t.getBoundingClientRect().height).filter(h => h > 0);
  return {
    column: col.clientWidth,
    infobox: box ? box.getBoundingClientRect().toJSON() : null,
    lead: lead ? lead.getBoundingClientRect().toJSON() : null,
    strip: strip ? strip.getBoundingClientRect().width : null,
    clipped: wraps.filter(w => w.scrollWidth > w.clientWidth + 1).length,
    tallest: Math.max(0, ...rows.map(r => r.getBoundingClientRect().height)),
    smallestChartText: texts.length ? Math.min(...texts) : null,
  };
}"""


CLIPPED = """() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
  .filter(w => w.offsetParent !== null && w.scrollWidth > w.clientWidth + 1)
  .map(w => [w.scrollWidth, w.clientWidth, [...w.querySelectorAll('th')].map(t => t.innerText + ':' + Math.round(t.getBoundingClientRect().width)).join(' ')])"""
TALLEST = """() => [...document.querySelectorAll('article tr')].filter(r => !r.closest('.infobox') && r.offsetParent !== null)
  .sort((a, b) => b.getBoundingClientRect().height - a.getBoundingClientRect().height).slice(0, 2)
  .map(r => [Math.round(r.getBoundingClientRect().height), r.innerText.slice(0, 160)])"""


def _open(browser, url: str, width: int, scheme: str = "light", errors: list | None = None):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    if errors is not None:
        page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_desktop_the_lead_keeps_sixty_percent_and_nothing_is_clipped(browser, site_url, lang):
    errors: list = []
    page = _open(browser, f"{site_url}{lang}devices/iter/", 1280, errors=errors)
    m = page.evaluate(MEASURE)
    beside = m["column"] - m["infobox"]["width"]
    assert beside / m["column"] >= 0.6, m  # the lead runs beside a narrower infobox
    assert m["infobox"]["left"] > m["lead"]["left"]  # the infobox floats right of the lead
    assert m["strip"] >= 0.95 * m["column"]  # the timeline strip fills its column
    assert m["clipped"] == 0
    for path in ("devices/", "timeline/", "references/", "data/"):
        index = _open(browser, f"{site_url}{lang}{path}", 1280, errors=errors)
        assert index.evaluate(MEASURE)["clipped"] == 0, (path, index.evaluate(CLIPPED))
    # Tables show the names readers use: EAST, with its full name as the link's tooltip.
    devices = _open(browser, f"{site_url}{lang}devices/", 1280)
    if not lang:
        east = devices.locator(".atlas-table a[title='Experimental Advanced Superconducting Tokamak']").first
        assert east.inner_text() == "EAST"
    assert errors == []


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "zh/"])
def test_phone_infobox_first_short_rows_and_readable_charts(browser, site_url, lang):
    errors: list = []
    for path in ("devices/iter/", "timeline/", "devices/", "references/"):
        page = _open(browser, f"{site_url}{lang}{path}", 390, errors=errors)
        m = page.evaluate(MEASURE)
        assert m["tallest"] <= 280, (path, page.evaluate(TALLEST))  # long notes fold behind a control
        # Nothing widens the page: only a table scrolls sideways, inside its frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        if m["smallestChartText"] is not None:
            assert m["smallestChartText"] >= 9, (path, m["smallestChartText"])
        if path == "devices/iter/":
            assert m["infobox"]["bottom"] <= m["lead"]["top"] + 1  # the infobox above the lead
            folded = page.locator("details.atlas-fold")
            assert folded.count() > 0 and page.locator("details.atlas-fold[open]").count() == 0
            folded.first.locator("summary").click()  # a note opens on a tap
            assert folded.first.get_attribute("open") is not None
    assert errors == []


@needs_browser
@pytest.mark.browser
def test_print_hides_navigation_and_prints_the_address_and_data_date(browser, site_url, real_atlas):
    page = _open(browser, f"{site_url}devices/jet/", 1280)
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    assert not page.locator(".md-footer").is_visible()
    line = page.locator(".atlas-print-only")
    assert line.is_visible()
    text = line.inner_text()
    assert "devices/jet/" in text and "data as of" in text


@needs_browser
@pytest.mark.browser
def test_screenshots_of_every_page_type_at_both_widths(browser, site_url):
    SCREENS.mkdir(parents=True, exist_ok=True)
    for name, path in PAGE_TYPES.items():
        for lang in ("", "zh/"):
            for width, scheme in ((1280, "light"), (390, "dark")):
                page = _open(browser, f"{site_url}{lang}{path}", width, scheme)
                out = SCREENS / f"{name}-{lang.strip('/') or 'en'}-{width}-{scheme}.png"
                page.screenshot(path=str(out), full_page=False)
                assert out.stat().st_size > 5000

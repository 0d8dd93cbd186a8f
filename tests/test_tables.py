"""Index tables readers can sort, filter and download, with the view in the address:
in Chromium, served and from the offline archive, in both languages."""

from __future__ import annotations

import csv
import io
import os

import pytest

from browser import chromium_available
from conftest import ROOT

try:  # test_browser.py's fixtures: the browser, the served site, the archive unzipped
    from test_browser import archive_dir, browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover
    pass

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed"),
]

VISIBLE = ".atlas-table tbody tr:not([hidden])"


def column(page, n: int, attribute: str = "data-sort") -> list[str]:
    return [c.get_attribute(attribute) for c in page.locator(f"{VISIBLE} td:nth-child({n})").all()]


def open_page(browser, url: str, errors: list):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return page


def collated(page, keys: list[str], lang: str) -> list[str]:
    """``keys`` in the order the browser's collation gives (Chinese: by pinyin)."""
    locale = "zh-Hans-u-co-pinyin" if lang == "zh" else "en"
    return page.evaluate("([keys, locale]) => keys.slice().sort(new Intl.Collator(locale, {numeric: true, sensitivity: 'base'}).compare)",
                         [keys, locale])


def test_chinese_names_sort_by_pinyin(browser, site_url, real_atlas):
    errors: list = []
    page = open_page(browser, f"{site_url}zh/devices/", errors)
    page.locator(".atlas-table th").nth(0).click()
    names = column(page, 1)
    assert names == collated(page, names, "zh") and names != sorted(names)  # not code-point order
    from macros.render.text import short_name

    expected = sorted(short_name(d.name.zh or d.name.en, [d.name.en, *d.aliases]) for d in real_atlas.all("devices"))
    assert sorted(names) == expected  # the Chinese names as shown (short where long), not the ids
    # By pinyin, whatever the code points: 欧 (ou) before 托 (tuo), though U+6B27 > U+6258.
    chinese = [n for n in names if "\u4e00" <= n[0] <= "\u9fff"]
    ou, tuo = [i for i, n in enumerate(chinese) if n[0] == "欧"], [i for i, n in enumerate(chinese) if n[0] == "托"]
    assert not (ou and tuo) or max(ou) < min(tuo)
    assert errors == []


def test_the_generated_table_carries_sort_keys_and_facet_codes(real_atlas):
    from macros.render import markdown as render

    body = render.devices_table(real_atlas, "zh")
    assert 'data-table="devices"' in body and 'data-facets="configuration,status,country"' in body
    iter_ = real_atlas.get("iter")
    assert f'<span class="sort-key" data-sort="{iter_.first_plasma.date}"></span>' in body
    assert '<span class="sort-key" data-sort="ITER"></span>' in body  # names sort as shown: ITER, not 国际热核聚变实验反应堆
    assert '<span class="sort-key" data-sort="construction" data-value="construction"></span>建设中' in body


@pytest.mark.parametrize("lang", ["", "zh/"])
def test_sort_by_value_filter_facet_and_keep_the_view_in_the_address(browser, site_url, real_atlas, lang):
    errors: list = []
    page = open_page(browser, f"{site_url}{lang}devices/", errors)
    total = len(real_atlas.records["devices"])
    assert page.locator(VISIBLE).count() == total  # everything, until a filter is chosen
    # A facet: only retired devices; then the first-plasma column, by date, not by its words.
    page.locator(".atlas-table select[data-facet=status]").select_option("retired")
    assert set(column(page, 3, "data-value")) == {"retired"}
    page.locator(".atlas-table th").nth(5).click()
    dates = [d for d in column(page, 6) if d != "\uffff"]
    assert dates == sorted(dates) and len(dates) >= 3
    assert column(page, 6)[-1] == "\uffff" or len(dates) == page.locator(VISIBLE).count()  # undated last
    page.locator(".atlas-table th").nth(5).click()
    assert [d for d in column(page, 6) if d != "\uffff"] == sorted(dates, reverse=True)
    assert "t.devices.sort=first_plasma" in page.url and "t.devices.dir=desc" in page.url
    assert "t.devices.status=retired" in page.url
    # Free text, forgiving of hyphens and spaces: "jt60" finds the JT-60 line.
    page.locator(".atlas-table select[data-facet=status]").select_option("")
    page.locator(".atlas-table__filter").fill("jt60")
    names = column(page, 1)
    assert names and all(n.upper().startswith("JT-60") or "JT-60" in n for n in names), names
    # The address reproduces the view, and the language menu carries it to the other edition.
    view = page.url
    other = page.locator(".md-select__link[hreflang='" + ("en" if lang else "zh") + "']").get_attribute("href")
    assert "t.devices.q=jt60" in other
    again = open_page(browser, view, errors)
    assert column(again, 1) == names
    assert again.locator(".atlas-table__filter").input_value() == "jt60"
    assert errors == []


def test_crafted_parameters_are_ignored(browser, site_url, real_atlas):
    errors: list = []
    url = (f"{site_url}devices/?t.devices.sort=%3Cscript%3E&t.devices.status=nonsense&t.devices.dir=sideways"
           f"&t.devices.q={'x' * 500}&t.devices.__proto__=1&t.other.sort=name")
    page = open_page(browser, url, errors)
    assert page.locator(VISIBLE).count() == len(real_atlas.records["devices"])
    assert page.locator(".atlas-table select[data-facet=status]").input_value() == ""
    assert page.locator(".atlas-table th[aria-sort]").count() == 0
    assert errors == []


def test_the_csv_holds_the_rows_shown(browser, site_url, real_atlas):
    errors: list = []
    page = open_page(browser, f"{site_url}devices/?t.devices.status=operating", errors)
    shown = page.locator(VISIBLE).count()
    assert 0 < shown < len(real_atlas.records["devices"])
    with page.expect_download() as download:
        page.locator(".atlas-table__csv").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Name", "Configuration", "Status"]
    assert len(rows) == shown + 1 and {r[2] for r in rows[1:]} == {"operating"}
    assert errors == []


def test_keyboard_sorts_and_headers_say_how(browser, site_url):
    errors: list = []
    page = open_page(browser, f"{site_url}members/", errors)
    header = page.locator(".atlas-table th").nth(2)  # joined
    header.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    joined = [d for d in column(page, 3) if d != "\uffff"]
    assert joined == sorted(joined)
    assert errors == []


def test_tables_work_from_the_archive_on_disk(browser, archive_dir):
    errors: list = []
    page = open_page(browser, (archive_dir / "devices" / "index.html").as_uri(), errors)
    page.locator(".atlas-table select[data-facet=status]").select_option("retired")
    assert set(column(page, 3, "data-value")) == {"retired"}
    assert "t.devices.status=retired" in page.url  # in the fragment: a file's query cannot change
    assert errors == []


def test_tablesort_is_vendored_with_its_licence():
    vendor = ROOT / "docs" / "assets" / "vendor" / "tablesort"
    assert "tablesort v5.7.1" in (vendor / "tablesort.min.js").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in (vendor / "LICENCE").read_text(encoding="utf-8")


@pytest.mark.parametrize("page_path, facet", [("organisations/", "kind"), ("sites/", "country"),
                                               ("people/", "nationality"), ("eras/", None)])
def test_every_index_table_sorts_and_filters(browser, site_url, page_path, facet):
    errors: list = []
    page = open_page(browser, f"{site_url}{page_path}", errors)
    rows = page.locator(VISIBLE).count()
    assert rows > 1 and page.locator(".atlas-table__controls").count() == 1
    page.locator(".atlas-table th").nth(0).click()
    keys = column(page, 1)
    assert keys == collated(page, keys, "en") or keys == sorted(keys, key=lambda k: float(k))
    if facet:
        select = page.locator(f".atlas-table select[data-facet={facet}]")
        choice = select.locator("option").nth(1).get_attribute("value")
        select.select_option(choice)
        assert set(column(page, 2, "data-value")) == {choice}  # the facet is each table's second column
        assert 0 < page.locator(VISIBLE).count() <= rows
    assert errors == []

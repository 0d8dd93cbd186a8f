"""What only a browser shows: navigation, search in both languages, the
language switcher, and the offline archive opened from disk with no network."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import CHROMIUM, FLAGS, chromium_available, search, serve
from conftest import ROOT, run_build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed"),
]

ARTIFACTS = ROOT / "test-artifacts"
KNOWN_CONSOLE_NOISE = ()  # none: no page fetches a sitemap (macros/publish/head.py)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site_url(real_site):
    url, server = serve(real_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory, offline_site):
    """The offline archive, unzipped into a folder whose path has spaces and Chinese."""
    from macros.publish.archive import make_zip, readme
    from macros.core.atlas import load_atlas

    tmp = tmp_path_factory.mktemp("archive")
    project, site = offline_site
    archive = make_zip(site, tmp / "dist" / "fusion-atlas-test.zip", "fusion-atlas-test",
                       {"README.txt": readme(load_atlas(project), "test")})
    dest = tmp / "离线 档案 with spaces"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(dest)
    return dest / "fusion-atlas-test"


def new_page(browser, record_requests: list | None = None, console: list | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if record_requests is not None:
        page.on("request", lambda r: record_requests.append(r.url))
    if console is not None:
        page.on("console", lambda m: console.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(str(e)))
    return page


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


def click_link(page, text: str):
    page.locator("article").get_by_role("link", name=text, exact=True).first.click()
    page.wait_for_load_state()


# --------------------------------------------------------------------------
# Served site
# --------------------------------------------------------------------------

TABS = {"en": {"members": "Members", "eras": "Eras"}, "zh": {"members": "成员", "eras": "时代"}}


def walk(page, base: str, lang: str, ext: str = "/"):
    from macros.core.atlas import load_atlas

    atlas = load_atlas(ROOT)
    words = dict(TABS[lang], japan=atlas.get("japan").name.get(lang), device=atlas.get("jt-60sa").name.get(lang))
    start = base + ("" if lang == "en" else "zh/") + ("index.html" if ext == ".html" else "")
    page.goto(start)
    page.locator(".md-tabs").get_by_role("link", name=words["members"], exact=True).click()
    page.wait_for_load_state()
    assert h1(page) in ("Members and parties", "成员与合作方")
    click_link(page, words["japan"])
    assert h1(page) == words["japan"]
    click_link(page, words["device"])
    assert h1(page) == words["device"]
    page.go_back()
    assert h1(page) == words["japan"]
    page.locator(".md-tabs").get_by_role("link", name=words["eras"], exact=True).click()
    page.wait_for_load_state()
    first_era = page.locator("article table tbody tr td a").first
    era_name = first_era.inner_text().strip()
    first_era.click()
    page.wait_for_load_state()
    assert h1(page) == era_name
    page.go_back()
    page.go_back()
    assert h1(page) == words["japan"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_navigation_home_member_device_era_and_back(browser, site_url, lang):
    walk(new_page(browser), site_url, lang)


SEARCHES = [
    ("Cadarache", "Cadarache"),
    ("JT-60SA", "JT-60SA"),
    ("tokamak", None),
    ("卡达拉舍", "卡达拉舍"),
    ("托卡马克", None),
    ("聚变能", None),
    ("欧洲联合环状", "欧洲联合环状反应堆"),  # a Chinese substring (prefix) of a longer name
]


@pytest.mark.parametrize("query, expected", SEARCHES)
def test_search_finds_pages_in_both_languages(browser, site_url, query, expected):
    page = new_page(browser)
    page.goto(site_url + ("zh/" if any("\u4e00" <= c <= "\u9fff" for c in query) else ""))
    titles = search(page, query)
    assert titles, query
    if expected:
        assert expected in titles[:5], (query, titles[:10])


def test_language_switcher_keeps_the_reader_on_the_same_page(browser, site_url, real_atlas):
    jet = real_atlas.get("jet").name
    page = new_page(browser)
    page.goto(site_url + "devices/jet/")
    assert h1(page) == jet.en
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang='zh']").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/zh/devices/jet/")
    assert h1(page) == "欧洲联合环状反应堆"
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang='en']").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith("/devices/jet/")
    assert h1(page) == jet.en


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_screenshot_of_a_device_page(browser, site_url, lang):
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(browser)
    page.goto(site_url + ("zh/" if lang == "zh" else "") + "devices/iter/")
    path = ARTIFACTS / f"device-iter-{lang}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 20000


# --------------------------------------------------------------------------
# Offline archive under file://
# --------------------------------------------------------------------------


def assert_only_local(requests: list[str]):
    outside = [u for u in requests if urlsplit(u).scheme not in ("file", "data", "blob", "about")]
    assert outside == []


def assert_no_console_errors(console: list[str]):
    assert [m for m in console if not any(n in m for n in KNOWN_CONSOLE_NOISE)] == []


def test_archive_entity_pages_link_within_the_archive(archive_dir):
    """Prose links and the record's JSON link are written for file:// pages (name.html),
    in the English build as in the Chinese one."""
    import re

    for page in ("members/japan.html", "zh/members/japan.html"):
        html = (archive_dir / page).read_text(encoding="utf-8")
        assert 'href="../devices/jt-60sa.html"' in html
        assert "../../devices/" not in html
        json_link = re.search(r'href="([^"]*japan\.json)"', html).group(1)
        assert ((archive_dir / page).parent / json_link).resolve().is_file(), json_link


def test_every_relative_link_of_the_archive_lands_on_a_file_in_it(archive_dir):
    """Every href and src of every page, unzipped: no link leads out of the archive or to nothing."""
    from htmlcheck import broken_links

    pages = list(archive_dir.rglob("*.html"))
    assert len(pages) > 200
    assert not (archive_dir / "404.html").exists()  # a server's page: its links are absolute
    assert broken_links(archive_dir) == []
    for html in pages:
        text = html.read_text(encoding="utf-8")
        assert 'href="/' not in text and 'src="/' not in text, html
        assert '<link rel="alternate"' not in text, html  # the theme would fetch sitemap.xml


@pytest.mark.parametrize("page", ["devices/iter.html", "zh/devices/index.html", "references.html", "zh/timeline.html"])
def test_archive_pages_read_and_lay_out_as_the_offline_build(browser, archive_dir, offline_site, page):
    """The zip's pages lose the theme's indentation (macros/publish/offline.py's lean_html): the
    text a reader sees, and the height of the page and of its article, are the offline build's."""
    _, site = offline_site
    assert len((archive_dir / page).read_bytes()) < len((site / page).read_bytes())
    shown = ("() => [document.body.innerText, document.documentElement.scrollHeight,"
             " Math.round(document.querySelector('article').getBoundingClientRect().height)]")
    seen = []
    for folder in (site, archive_dir):
        tab = new_page(browser)
        tab.goto((folder / page).as_uri())
        seen.append(tab.evaluate(shown))
        tab.context.close()
    assert seen[0][0].strip() and seen[1] == seen[0]


def test_archive_has_a_readme_with_the_data_date(archive_dir):
    text = (archive_dir / "README.txt").read_text(encoding="utf-8")
    assert "Data as of 20" in text and "index.html" in text


def test_archive_leaves_out_what_no_reader_loads_from_disk(archive_dir):
    """The index as JSON (the theme reads its inlined copy), the sitemaps, the theme's source maps and
    the word splitters of languages the site does not search in stay out of the zip; what search needs stays."""
    assert (archive_dir / "search" / "search_index.js").is_file() and (archive_dir / "search" / "atlas-names.js").is_file()
    assert not (archive_dir / "search" / "search_index.json").exists()
    assert not (archive_dir / "sitemap.xml").exists() and not (archive_dir / "sitemap.xml.gz").exists()
    scripts = archive_dir / "assets" / "javascripts"
    assert not list((archive_dir / "assets").rglob("*.map")) and not (scripts / "lunr" / "wordcut.js").exists()
    kept = sorted(p.name for p in (scripts / "lunr" / "min").glob("*.js"))
    assert kept == ["lunr.multi.min.js", "lunr.stemmer.support.min.js", "lunr.zh.min.js"], kept


@pytest.mark.parametrize("index, query, first", [("/index.html", "UK", "United Kingdom"), ("/zh/index.html", "JT-60SA", "JT-60SA超导托卡马克装置")])
def test_archive_search_puts_the_named_page_first_from_disk(browser, archive_dir, index, query, first):
    """The names file loads from file:// as it does online."""
    requests, console = [], []
    page = new_page(browser, requests, console)
    page.goto(archive_dir.as_uri() + index)
    assert search(page, query)[0] == first
    assert_only_local(requests)
    assert_no_console_errors(console)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_archive_navigation_from_disk(browser, archive_dir, lang):
    requests, console = [], []
    page = new_page(browser, requests, console)
    walk(page, archive_dir.as_uri() + "/", lang, ext=".html")
    assert_only_local(requests)
    assert_no_console_errors(console)


@pytest.mark.parametrize("query, expected", [("Cadarache", "Cadarache"), ("卡达拉舍", "卡达拉舍"), ("托卡马克", None)])
def test_archive_search_from_disk(browser, archive_dir, query, expected):
    requests, console = [], []
    page = new_page(browser, requests, console)
    page.goto(archive_dir.as_uri() + ("/zh/index.html" if "\u4e00" <= query[0] <= "\u9fff" else "/index.html"))
    titles = search(page, query)
    assert titles
    if expected:
        assert expected in titles[:5], titles[:10]
    assert_only_local(requests)
    assert_no_console_errors(console)


def test_archive_language_switcher_from_disk(browser, archive_dir):
    requests, console = [], []
    page = new_page(browser, requests, console)
    page.goto((archive_dir / "devices" / "jet.html").as_uri())
    page.locator(".md-header__option .md-select").hover()
    page.locator(".md-select__link[hreflang='zh']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/zh/devices/jet.html")
    assert h1(page) == "欧洲联合环状反应堆"
    assert_only_local(requests)
    assert_no_console_errors(console)
    assert not [u for u in requests if "sitemap" in u]


def test_every_page_of_the_archive_loads_nothing_from_another_host(archive_dir):
    """Static check of every page (the browser tests above cover a sample)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from htmlcheck import parse

    for html in archive_dir.rglob("*.html"):
        page = parse(html)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https") or link.startswith("//"):
                # Links a reader may follow to a source are fine; nothing may be *loaded*.
                assert html.read_text(encoding="utf-8").count(f'src="{link}"') == 0, (html, link)


def test_an_old_url_lands_on_the_renamed_page(browser, site_url, real_atlas):
    """eu-demo was first planned as /devices/demo/ (former_ids in its YAML)."""
    assert "demo" in real_atlas.get("eu-demo").former_ids
    page = new_page(browser)
    page.goto(site_url + "devices/demo/")
    page.wait_for_url("**/devices/eu-demo/")
    assert h1(page) == real_atlas.get("eu-demo").name.en

"""The Kiwix edition: one bilingual ZIM file, checked by zimcheck, read by libzim,
and served by kiwix-serve to Chromium with no request leaving it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from browser import CHROMIUM, FLAGS, chromium_available

ZIMCHECK, KIWIX_SERVE = shutil.which("zimcheck"), shutil.which("kiwix-serve")
needs = pytest.mark.skipif(not (ZIMCHECK and KIWIX_SERVE) and not os.environ.get("CI"),
                           reason="zim-tools and kiwix-tools are not installed (make browser-deps)")


@pytest.fixture(scope="module")
def zim(tmp_path_factory, offline_site) -> Path:
    from macros.publish.zim import write_zim, zim_name

    tmp = tmp_path_factory.mktemp("zim")
    return write_zim(offline_site[1], tmp / zim_name("2026-12-05"), date="2026-12-05", version="test")


def test_the_file_is_named_as_kiwix_names_its_files(zim):
    assert zim.name == "fusion-atlas_mul_2026-12.zim"


def test_the_zim_is_small(zim):
    assert zim.stat().st_size < 15e6


def test_metadata_and_illustration(zim):
    from libzim.reader import Archive

    archive = Archive(zim)
    meta = {key: archive.get_metadata(key) for key in archive.metadata_keys}
    for key in ("Title", "Description", "LongDescription", "Language", "Creator", "Publisher", "Date", "Name",
                "Flavour", "Tags", "License"):
        assert meta.get(key), key
    assert meta["Language"] == b"eng,zho" and meta["Name"] == b"fusion-atlas_mul" and meta["Date"] == b"2026-12-05"
    assert len(meta["Title"]) <= 30 and len(meta["Description"]) <= 80
    png = meta["Illustration_48x48@1"]
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (48).to_bytes(4, "big") * 2
    assert archive.main_entry.get_item().path == "index.html"


def test_every_page_and_asset_is_an_entry_and_pages_are_titled(zim):
    from libzim.reader import Archive

    archive = Archive(zim)
    for path, title in (("devices/iter.html", "ITER"), ("zh/devices/iter.html", "国际热核聚变实验反应堆"),
                        ("members/japan.html", "Japan")):
        entry = archive.get_entry_by_path(path)
        assert entry.title == title
    for path in ("search/search_index.json", "data/devices/iter.json", "assets/atlas.css"):
        assert archive.has_entry_by_path(path), path
    assert not archive.has_entry_by_path("404.html")


@pytest.mark.parametrize("query, lang_prefix", [("tokamak", ""), ("托卡马克", "zh/")])
def test_the_full_text_index_finds_pages_in_both_languages(zim, query, lang_prefix):
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    results = list(Searcher(Archive(zim)).search(Query().set_query(query)).getResults(0, 500))
    assert f"{lang_prefix}devices/iter.html" in results
    assert all(p.startswith("zh/") == bool(lang_prefix) for p in results[:10]), results[:10]


def test_the_title_index_suggests_the_page_first(zim):
    from libzim.reader import Archive
    from libzim.suggestion import SuggestionSearcher

    suggest = SuggestionSearcher(Archive(zim))
    assert list(suggest.suggest("ITER").getResults(0, 1)) == ["devices/iter.html"]
    assert list(suggest.suggest("国际热核").getResults(0, 1)) == ["zh/devices/iter.html"]


@needs
def test_zimcheck_finds_no_error(zim):
    out = subprocess.run([ZIMCHECK, "-A", str(zim)], capture_output=True, text=True, timeout=300)
    assert "[ERROR]" not in out.stdout + out.stderr, out.stdout
    assert "Overall Test Status: Pass" in out.stdout, out.stdout


@pytest.fixture(scope="module")
def kiwix(zim):
    """kiwix-serve on 127.0.0.1 (a free port); yields its base URL and the book's."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([KIWIX_SERVE, "--address=127.0.0.1", f"--port={port}", str(zim)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:  # it says when it listens
            if "running" in line and f":{port}" in line:
                break
        else:
            pytest.fail(f"kiwix-serve did not start (exit {proc.wait()})")
        base = f"http://127.0.0.1:{port}/"
        yield base, base + zim.stem + "/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@needs
@pytest.mark.browser
@pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")
@pytest.mark.parametrize("query, expected_path, h1", [
    ("tokamak", "devices/iter.html", "ITER"),
    ("托卡马克", "zh/devices/iter.html", "国际热核聚变实验反应堆"),
])
def test_kiwix_serve_search_opens_iter_and_nothing_leaves_the_server(zim, kiwix, query, expected_path, h1):
    from playwright.sync_api import sync_playwright

    base, book = kiwix
    requests, errors = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Errors on the atlas's pages only (Kiwix's own search page is not ours). kiwix-serve
        # adds its search bar to each page, whose jQuery probes inline event handlers: the
        # pages' policy blocks the probe, which jQuery expects; test_csp.py checks statically
        # that the atlas's own pages have no inline handler.
        page.on("console", lambda m: errors.append(f"{m.text} @ {page.url}")
                if m.type == "error" and f"/{zim.stem}/" in page.url and "inline event handler" not in m.text else None)
        # Kiwix's own search, over the ZIM's full-text index; results come in pages of 25, which a
        # reader turns (a word as common as "tokamak" is on most device pages).
        target = None
        for start in range(0, 1000, 25):
            page.goto(f"{base}search?content={quote(zim.stem)}&pattern={quote(query)}&start={start}&pageLength=25")
            links = page.locator(f"a[href$='/{expected_path}']")
            if links.count():
                target = links.first
                break
        assert target is not None, f"{expected_path} is not among the results for {query!r}"
        target.click()
        page.wait_for_url(f"**/{expected_path}")
        assert page.locator("article h1").first.inner_text().replace("¶", "").strip() == h1
        assert page.locator("article svg, article img").count() > 0  # the charts and the cross-section show
        # The language switch leads to the other edition's page, inside the ZIM.
        other = "devices/iter.html" if expected_path.startswith("zh/") else "zh/devices/iter.html"
        href = page.locator(".md-select__link[hreflang]").evaluate_all("els => els.map(e => e.href)")
        assert book + other in href, href
        page.goto(book + other)
        assert page.locator("article h1").count() == 1
        browser.close()
    outside = [u for u in requests if urlsplit(u).netloc != urlsplit(base).netloc and urlsplit(u).scheme not in ("data", "blob", "about")]
    assert outside == []
    assert errors == []


@needs
@pytest.mark.browser
@pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")
@pytest.mark.parametrize("start, query, expected", [("index.html", "Cadarache", "Cadarache"),
                                                    ("zh/index.html", "卡达拉舍", "卡达拉舍")])
def test_the_sites_own_search_works_inside_kiwix(kiwix, start, query, expected):
    """Beside Kiwix's search, the pages' search box works from the ZIM, in each language."""
    from playwright.sync_api import sync_playwright

    from browser import search

    _base, book = kiwix
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(book + start)
        assert expected in search(page, query)[:3]
        browser.close()

"""Driving Debian's Chromium with Playwright (never a downloaded browser)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port); returns (base URL, server)."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


def search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search box; return the result titles in order."""
    box = page.locator("input.md-search__input")
    box.click()  # a real click loads the search index
    box.fill(query)
    box.press("End")  # a key press runs the query (needed after CJK input)
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta');
            // (and the site's script has the names it puts first: assets/atlas-search.js)
            const named = !window.atlasSearch || window.atlasSearch.namesLoaded;
            return named && meta && !/Initializing|正在初始化|Type to start/.test(meta.textContent)
                && document.querySelectorAll('.md-search-result__item').length > 0;
        }""",
        timeout=20000,
    )
    titles = page.locator(".md-search-result__item > .md-search-result__link .md-search-result__article h1")
    return [t.strip() for t in titles.all_inner_texts()]

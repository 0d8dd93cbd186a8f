"""Where things are on the site: the URL of a page, a page's output file, links between them.

One place for the site's address rules (``use_directory_urls`` on: ``devices/jet/``;
off, as in the offline archive: ``devices/jet.html``), used by rendering (prose
links) and publishing (stubs, redirects, open data).
"""

from __future__ import annotations

import posixpath
import re

OPEN_DATA_DIR = "data"  # the open data's folder in the site


def page_url(docs_path: str, directory_urls: bool) -> str:
    """The URL (from the site root, no leading slash) of the page ``docs_path`` (``devices/jet.md``)."""
    stem = docs_path[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def relative(target: str, from_url: str) -> str:
    """``target`` (a URL from the site root) relative to the page at ``from_url``."""
    from_dir = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url)
    rel = posixpath.relpath(target or ".", from_dir.rstrip("/") or ".")
    if target.endswith("/") or not target:
        rel = "./" if rel == "." else rel + "/"
    return rel


def page_path(kind: str, rid: str, lang: str, directory_urls: bool) -> str:
    """Where the page of a record is written, relative to the site root."""
    prefix = "" if lang == "en" else f"{lang}/"
    return f"{prefix}{kind}/{rid}/index.html" if directory_urls else f"{prefix}{kind}/{rid}.html"


def record_href(from_page: str, kind: str, rid: str) -> str:
    """Relative link from a page (its output path) to the JSON of a record."""
    return posixpath.relpath(f"{OPEN_DATA_DIR}/{kind}/{rid}.json", posixpath.dirname(from_page) or ".")


# Links from generated HTML to files at a fixed place in the site (the open data, the Data
# page) are written ``@root/<path>``: where a block or the theme renders them, the page they
# end up on is not known. ``resolve_root_links`` makes them relative once it is, so they work
# on a server, under a sub-path and from the offline archive (``file://``) alike.
ROOT = "@root/"
_ROOT_LINK = re.compile(r'(href|src)="@root/([^"#]*)(#[^"]*)?"')


def root(path: str) -> str:
    """A link to ``path`` (from the site root; a folder ends with "/") for ``resolve_root_links``."""
    return ROOT + path


def resolve_root_links(text: str, page_url: str, directory_urls: bool) -> str:
    """``text`` with every ``@root/`` link made relative to the page at ``page_url``."""
    if ROOT not in text:
        return text

    def one(m: re.Match) -> str:
        target = m.group(2)
        if not directory_urls and (target == "" or target.endswith("/")):
            target += "index.html"  # no server to pick a folder's index.html under file://
        return f'{m.group(1)}="{relative(target, page_url)}{m.group(3) or ""}"'

    return _ROOT_LINK.sub(one, text)

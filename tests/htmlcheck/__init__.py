"""Reading built pages in tests: sections under headings, infobox rows, links and anchors."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []  # href/src values
        self.sections: dict[str, str] = {}  # h2 text -> text up to the next h2
        self.h1 = ""
        self.title = ""
        self.infobox: dict[str, str] = {}
        self.paragraphs: list[str] = []
        self.lang = ""
        self._para: list[str] | None = None
        self._footnote_depth = 0
        self._heading = None
        self._heading_text: list[str] = []
        self._current = None
        self._in_article = 0
        self._skip: list[int] = []
        self._in_title = False
        self._infobox_depth = 0
        self._depth = 0
        self._cell: list[str] | None = None
        self._row: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self._depth += 1
        if "id" in a:
            self.ids.add(a["id"])
        if "name" in a and tag == "a":
            self.ids.add(a["name"])
        if tag == "link" and a.get("rel") == "canonical":
            a.pop("href", None)  # names the page's public address; never loaded
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.links.append(a[key])
        if tag == "title":
            self._in_title = True
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "p":
            self._para = []
        if tag == "div" and "infobox" in (a.get("class") or "").split():
            self._infobox_depth = self._depth
        if tag in ("h1", "h2"):
            self._heading = tag
            self._heading_text = []
        classes = (a.get("class") or "").split()
        if tag == "div" and "footnote" in classes and not self._footnote_depth:
            self._footnote_depth = self._depth  # citations: titles stay in their source's language
        if tag == "small" and "note" in classes:
            self._skip.append(self._depth)  # notes explain a figure; they are not the figure
        if tag == "sup" or (tag == "a" and "headerlink" in (a.get("class") or "")):
            self._skip.append(self._depth)  # footnote markers and permalinks are not text
        if self._infobox_depth and tag == "tr":
            self._row = []
        if self._infobox_depth and tag == "td":
            self._cell = []
        if tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "p" and self._para is not None:
            if not self._footnote_depth:
                self.paragraphs.append("".join(self._para).strip())
            self._para = None
        if tag == "div" and self._footnote_depth == self._depth:
            self._footnote_depth = 0
        if tag == self._heading:
            text = "".join(self._heading_text).strip()
            if tag == "h1":
                self.h1 = text
            else:
                self._current = text
                self.sections[text] = ""
            self._heading = None
        if self._infobox_depth and tag == "td" and self._cell is not None:
            self._row.append(re.sub(r"[ \t]+", " ", "".join(self._cell)).strip())
            self._cell = None
        if self._infobox_depth and tag == "tr" and len(self._row) == 2:
            self.infobox[self._row[0]] = self._row[1]
        if tag == "div" and self._infobox_depth == self._depth:
            self._infobox_depth = 0
        if self._skip and self._skip[-1] == self._depth:
            self._skip.pop()
        self._depth -= 1

    def handle_data(self, data):
        if self._para is not None and not self._skip:
            self._para.append(data)
        if self._in_title:
            self.title += data
        if self._heading and not self._skip:
            self._heading_text.append(data)
        elif self._current and self._heading is None:
            self.sections[self._current] += data
        if self._cell is not None and not self._skip:
            self._cell.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def page_of(site: Path, kind: str, rid: str) -> _Page:
    return parse(site / kind / rid / "index.html")


def broken_links(site: Path) -> list[str]:
    """Every internal link or asset whose file or anchor does not exist."""
    pages = {p: parse(p) for p in site.rglob("*.html")}
    problems = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            if not parts.path:
                target = path
            elif parts.path.startswith("/"):  # root-relative (the 404 page): the site's root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (path.parent / unquote(parts.path)).resolve()
            if target.is_dir() or parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: {link}: no such file")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{path.relative_to(site)}: {link}: no such anchor")
    return problems


def external_links(site: Path) -> set[str]:
    out = set()
    for p in site.rglob("*.html"):
        for link in parse(p).links:
            if urlsplit(link).scheme in ("http", "https") or link.startswith("//"):
                out.add(link)
    return out

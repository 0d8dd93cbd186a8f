"""What a page needs to work from a file or a ZIM, with no server behind it.

The sitemaps stay out of both (their absolute addresses would lead out of a
ZIM); no page fetches them (``macros.publish.head``).
"""

from __future__ import annotations

import re
from pathlib import Path

# Pages of a served site that mean nothing offline: there is no server to answer
# a missing address with 404.html (whose links are absolute, for any depth).
SERVER_ONLY = frozenset({"404.html"})


def unused_from_a_file(site: Path) -> set[str]:
    """Files of ``site`` that a reader of the unzipped archive never loads: the search index as
    JSON (from ``file://`` the theme reads its inlined copy, search/search_index.js), the sitemaps
    (for search engines of the served site), the theme's source maps (for its developers' tools),
    and the theme's word splitters and stemmers for languages the site does not search in (the
    search worker loads those of the index's own languages only)."""
    index = site / "search" / "search_index.json"
    langs = set(_index_languages(index)) if index.is_file() else set()
    unused = {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz"}
    scripts = site / "assets" / "javascripts"
    unused.update(p.relative_to(site).as_posix() for p in (site / "assets").rglob("*.map"))  # scripts, worker, styles
    if langs:
        kept = {"stemmer.support", "multi", *langs}
        unused.update(p.relative_to(site).as_posix() for p in scripts.glob("lunr/min/lunr.*.min.js")
                      if p.name[len("lunr."):-len(".min.js")] not in kept)
        for splitter, lang in (("tinyseg.js", "ja"), ("wordcut.js", "th")):
            if lang not in langs:
                unused.add(f"assets/javascripts/lunr/{splitter}")
    return {rel for rel in unused if (site / rel).is_file()}


def _index_languages(index: Path) -> list[str]:
    """The languages of a search index, read from its head (its configuration comes first)."""
    import json

    from .search import index_config_text

    head = index_config_text(index)
    m = re.search(r'"lang"\s*:\s*(\[[^\]]*\]|"[^"]*")', head)
    if not m:
        return []
    langs = json.loads(m.group(1))
    return [langs] if isinstance(langs, str) else list(langs)


# Where whitespace is kept as it is: elements whose text keeps its line breaks (``pre``,
# ``textarea``; the theme gives ``code`` and ``kbd`` ``white-space: pre-wrap``), scripts and
# styles (their text is hashed for the Content-Security-Policy), comments, and every tag with
# its attributes. Only the text between them is touched.
_KEPT_AS_IS = re.compile(r"<(pre|textarea|code|kbd|script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>",
                         re.DOTALL | re.IGNORECASE)
_LINE_BREAK_RUN = re.compile(r"[ \t\r\f]*\n[ \t\r\n\f]*")  # HTML's whitespace: not a no-break or CJK space


def lean_html(page: str) -> str:
    """``page`` with each run of whitespace that holds a line break, in its text, made one line
    break: the theme's indentation. A browser shows a line break in text as one space, as it shows
    any run of whitespace, so the page reads and lays out the same. At 1x the pages are 16 %
    smaller, and the zip 6 %."""
    out, last = [], 0
    for m in _KEPT_AS_IS.finditer(page):
        out.append(_LINE_BREAK_RUN.sub("\n", page[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_LINE_BREAK_RUN.sub("\n", page[last:]))
    return "".join(out)

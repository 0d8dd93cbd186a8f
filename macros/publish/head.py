"""What a page's head keeps of the theme's: not its links to the page in other languages.

The theme reads each ``<link rel="alternate" hreflang>`` of a page's head as the
root of a language, and fetches ``sitemap.xml`` under it to find the page in
that language. mkdocs-static-i18n points those links at the page's own
translation, not at a language's root, so every such fetch fails: two requests
answered 404 on every page a reader opens, and from ``file://`` an error on
every page (the browser refuses them). The language menu's own links already
lead to the translated page, and ``sitemap.xml`` gives search engines the same
pairs (``xhtml:link rel="alternate" hreflang``), so every edition drops them.
"""

from __future__ import annotations

import re

_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')


def without_alternate_links(page: str) -> str:
    """``page`` without them. Only its head is searched: this runs on every page written."""
    end = page.find("</head>")
    if end < 0:
        return _ALTERNATE.sub("", page)
    return _ALTERNATE.sub("", page[:end]) + page[end:]

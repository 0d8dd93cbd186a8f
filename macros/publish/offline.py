"""What a page needs to work from a file or a ZIM, with no server behind it.

The theme finds the other language's page through ``sitemap.xml``: each
``<link rel="alternate">`` in a page's head makes it fetch the sitemap at that
address. From ``file://`` the browser refuses the request (an error on every
page), and the sitemap's absolute addresses would lead out of a ZIM. The
language menu's own links already point to the translated page, so the offline
editions drop the head links and nothing is fetched.
"""

from __future__ import annotations

import re

_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')

# Pages of a served site that mean nothing offline: there is no server to answer
# a missing address with 404.html (whose links are absolute, for any depth).
SERVER_ONLY = frozenset({"404.html"})


def without_alternate_links(page: str) -> str:
    return _ALTERNATE.sub("", page)

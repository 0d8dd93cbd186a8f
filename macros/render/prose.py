"""Editors' prose on a page: headings stay Markdown (``### ...``, as plain text) so
that they reach the page's table of contents; each section's body is one block
of HTML sanitised by the core (``core/sanitise.py``). Links to pages
(``../devices/jet.md``) are written as the site's URLs here, since MkDocs does
not rewrite links inside HTML blocks.
"""

from __future__ import annotations

from ..core.atlas import resolve_link
from ..core.sanitise import ATTRIBUTES, SCHEME, TAGS, local_image, sanitise, sections, to_html
from .urls import page_url, relative

__all__ = ["ATTRIBUTES", "TAGS", "render"]


def _filter(kind: str, rid: str, directory_urls: bool):
    """The sanitiser's attribute filter for one page: local images only, page links as site URLs."""
    here = page_url(f"{kind}/{rid}.md", directory_urls)

    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href" and not SCHEME.match(value) and not value.startswith(("#", "//")):
            docs_path = resolve_link(value, kind)
            if docs_path and docs_path.endswith(".md"):
                anchor = value[value.index("#"):] if "#" in value else ""
                return relative(page_url(docs_path, directory_urls), here) + anchor
        return local_image(tag, attr, value)

    return keep


def render(text: str, kind: str, rid: str, directory_urls: bool = True, escape=None) -> str:
    """The prose of one page as Markdown for the stub: headings one level down (prose sits
    under the page's '## About'), each body a sanitised HTML block."""
    parts = []
    for level, title, body in sections(text):
        if title:
            parts.append(f"{'#' * (level + 1)} {escape(title) if escape else title}\n")
        if body:
            html = sanitise(to_html(body), _filter(kind, rid, directory_urls)).strip()
            if html:
                parts.append(f'<div class="prose">\n{html}\n</div>\n')
    return "\n".join(parts)



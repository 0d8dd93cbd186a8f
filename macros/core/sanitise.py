"""Prose is untrusted: Markdown converted to HTML and cut down to an allowlist.

Editors' prose (``prose/<kind>/<id>.md``) comes from pull requests. It is
converted by Python-Markdown with no extension that lets text set attributes
(no ``attr_list``, no ``md_in_html``), then the Ammonia sanitiser (``nh3``)
keeps only an allowlist of tags, attributes and URL schemes. Whatever the
Markdown held (raw HTML, ``javascript:`` links, attribute lists, images from
another host) cannot reach a reader's browser.

``removed`` tells the lint what the sanitiser takes out, so the editor learns
with file and line what was dropped and why. Rendering (``render/prose.py``)
passes its own attribute filter, which also writes page links as site URLs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import nh3

# --------------------------------------------------------------------------
# The allowlist
# --------------------------------------------------------------------------

TAGS = {
    "p", "br", "hr", "a", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "img", "abbr", "del", "ins",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}, "ol": {"start"},
              "th": {"align"}, "td": {"align"}}
URLSCHEMES = {"http", "https", "mailto"}
# Tags whose content is dropped with them (not shown as text).
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "textarea", "select"}

HEADING = re.compile(r"^(#{1,5})[ \t]+(.+?)[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^(```|~~~)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _converter() -> markdown.Markdown:
    # (column alignment as the align attribute: a style attribute would be removed)
    return markdown.Markdown(extensions=["tables"], extension_configs={"tables": {"use_align_attribute": True}},
                             output_format="html")


_MD = _converter()


def to_html(text: str) -> str:
    """Markdown to HTML, before sanitising."""
    _MD.reset()
    return _MD.convert(text)


def local_image(tag: str, attr: str, value: str) -> str | None:
    """nh3's attribute filter at its simplest: drop images that are not files of the site."""
    if tag == "img" and attr == "src":
        return None if SCHEME.match(value) or value.startswith(("//", "\\")) else value
    return value


def sanitise(html: str, attribute_filter=local_image) -> str:
    """HTML cut down to the allowlist (tags, attributes, http(s)/mailto URLs, local images)."""
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URLSCHEMES,
        strip_comments=True,
        link_rel=None,  # no rel added: no link opens a new window
        attribute_filter=attribute_filter,
    )


def sections(text: str) -> list[tuple[int, str, str]]:
    """(heading level, heading text, body Markdown) of each section; level 0 for the text before any heading."""
    out: list[tuple[int, str, list[str]]] = [(0, "", [])]
    in_fence = False
    for line in text.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else HEADING.match(line)
        if m:
            out.append((len(m.group(1)), m.group(2), []))
        else:
            out[-1][2].append(line)
    return [(level, title, _trim(body)) for level, title, body in out if title or _trim(body)]


def _trim(lines: list[str]) -> str:
    """The lines without blank lines around them (a first line's indent is meaningful: code)."""
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# What the sanitiser removed (for the lint)
# --------------------------------------------------------------------------


class _Inventory(HTMLParser):
    """The tags, attributes and URLs of some HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str, str]] = []  # (tag, attribute or "", value)

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, "", ""))
        for name, value in attrs:
            self.items.append((tag, name, value or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def _inventory(html: str) -> list[tuple[str, str, str]]:
    parser = _Inventory()
    parser.feed(html)
    parser.close()
    return parser.items


# What Markdown text needs to hold for the sanitiser to remove anything from its HTML:
# raw HTML or an entity (< &), an attribute list ({), a setext heading or a '#' line that
# is not a section heading, in a quote or list too (h1-h6 are not allowed in bodies), an image, or a link whose target has a scheme
# other than http(s) and mailto. Without any, Python-Markdown (tables only) makes only
# allowed tags and attributes, so the conversion is skipped (most prose: it is slow).
_LINE_START = re.compile(r"^[ \t>*+\-\d.)]*(?:#|=+[ \t]*$|-+[ \t]*$)", re.M)
_SECTION_HEADING = re.compile(r"^#{1,5}[ \t]+\S", re.M)
_TARGET = re.compile(r"\](?:\(\s*|:\s*)(?!(?:https?|mailto):)[A-Za-z][A-Za-z0-9+.-]*:")


def may_remove(text: str) -> bool:
    """False when the sanitiser certainly removes nothing from ``text``'s HTML."""
    if "<" in text or "&" in text or "{" in text or "![" in text:
        return True
    if "]" in text and _TARGET.search(text):
        return True
    for m in _LINE_START.finditer(text):
        if not (text.startswith("#", m.start()) and _SECTION_HEADING.match(text, m.start())):
            return True
    return False


def removed(text: str, fast: bool = True) -> list[tuple[str, str]]:
    """What the sanitiser takes out of the bodies of ``text`` (Markdown): (what to look
    for in the text to find its line, the rule that removed it). ``fast``: skip texts
    that ``may_remove`` clears."""
    out: dict[tuple[str, str], None] = {}
    if fast and not may_remove(text):
        return []
    for _level, _title, body in sections(text):
        raw = to_html(body)
        kept = set(_inventory(sanitise(raw)))
        for tag, attr, value in _inventory(raw):
            if (tag, attr, value) in kept:
                continue
            if not attr:
                if tag not in TAGS:
                    out[(f"<{tag}", f"the HTML tag <{tag}> was removed: prose is Markdown, and raw HTML is not published")] = None
            elif attr not in ATTRIBUTES.get(tag, ()):
                out[(attr, f"the attribute {attr!r} of <{tag}> was removed: prose cannot set attributes "
                     "(no event handlers, styles or classes)")] = None
            elif tag == "img" and attr == "src":
                out[(value, f"the image {value!r} was removed: images must be files of this site, not loaded from another host")] = None
            else:
                out[(value, f"the URL {value!r} was removed: links may be http(s), mailto or a page's .md file")] = None
    return list(out)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a CSV cell that no spreadsheet evaluates (a leading =, +, -, @ is quoted)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value

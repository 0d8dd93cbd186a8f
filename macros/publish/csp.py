"""The Content-Security-Policy of every page, as a ``<meta http-equiv>`` tag.

GitHub Pages sends no headers of ours, so the policy is written into each page,
first thing in ``<head>`` (a policy in a meta tag only covers what comes after
it). It allows the site's own script files and, by their SHA-256 hash, the
inline scripts of the theme, whose text varies from page to page (relative
links): the hashes are computed from each page's final HTML.

Plain functions on HTML strings; the MkDocs hooks (macros/site/hooks.py) call
them for every page.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

# The tag add_policy writes (with the line break and indent before it).
META_RE = re.compile(r'\n[ \t]*<meta http-equiv="Content-Security-Policy" content="[^"]*">')

# A <script> whose type is one of these (or has no type) is run, so its text
# needs a hash; any other type (application/json: Material's configuration) is
# a data block the browser never runs.
_JS_TYPES = frozenset(
    ["", "module", "importmap", "speculationrules"]
    + [f"application/{t}" for t in ("ecmascript", "javascript", "x-ecmascript", "x-javascript")]
    + [f"text/{t}" for t in ("ecmascript", "javascript", "jscript", "livescript", "x-ecmascript", "x-javascript")]
    + [f"text/javascript1.{n}" for n in range(6)]
)


def executable(attrs: dict[str, str | None]) -> bool:
    """Whether a <script> with these attributes is run as script (HTML's rules)."""
    if "type" in attrs:
        kind = attrs["type"] or ""
    elif attrs.get("language"):
        kind = "text/" + attrs["language"]
    else:
        kind = ""
    return kind.strip().lower() in _JS_TYPES


def script_hash(text: str) -> str:
    """The CSP source expression allowing an inline script of exactly this text.

    The browser hashes the text as parsed: the HTML parser has already turned
    every CR LF and lone CR into LF.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# A comment, or a <script> element: its start tag's attributes and its text
# (raw text: it ends at the first "</script"). Comments are matched so that a
# commented-out script is skipped, as the browser skips it.
_SCRIPT_RE = re.compile(
    r"""<!--.*?-->|<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>(.*?)</script[\s/>]""",
    re.S | re.I,
)
_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_HEAD_RE = re.compile(r"<head\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.I)
_CHARSET_RE = re.compile(r"\s*<meta\s[^>]*\bcharset\s*=[^>]*>", re.I)  # right after <head>
_SCRIPT_TAG_RE = re.compile(r"<script\b", re.I)


def _attrs(text: str) -> dict[str, str | None]:
    found = {}
    for m in _ATTR_RE.finditer(text):
        name = m.group(1).lower()
        if name not in found:  # the first of repeated attributes counts
            value = next((v for v in m.group(2, 3, 4) if v is not None), None)
            found[name] = None if value is None else html.unescape(value)
    return found


def _scripts(page: str):
    """(start offset, attributes, text) of every <script> of ``page``, in order.

    A scan with regular expressions, not a full HTML parser: a page takes a
    fraction of a millisecond instead of about ten. It reads the theme's
    markup, not content: "<script" inside an attribute value or in another
    element's raw text (<style>, <textarea>) would mislead it. The site's
    test checks it on every built page against Python's HTML parser.
    """
    for m in _SCRIPT_RE.finditer(page):
        if m.group(0).startswith("<!--"):
            continue
        yield m.start(), _attrs(m.group(1)), m.group(2)


def inline_scripts(page: str) -> list[str]:
    """The text of every executable inline <script> of ``page``, in order."""
    return [text for _, attrs, text in _scripts(page) if "src" not in attrs and executable(attrs)]


def policy(hashes: list[str] | tuple[str, ...] = (), *, offline: bool = False, any_inline: bool = False) -> str:
    """The policy's text, allowing the site's files and the inline scripts with these hashes
    (``any_inline``: every inline script instead; only for ``make serve``'s preview).

    Each source it allows was tried in Chromium, served and from the archive
    (tests/test_csp.py): without it something on the site breaks (font-src
    aside: the site has no font file today).
    """
    # Offline (the archive, opened from disk) Chromium gives a page an opaque
    # origin, and 'self' still matches every file: URL (tried: even a script
    # outside the archive's folder). The CSP specification leaves 'self' of an
    # opaque origin unsettled, so the archive also names the scheme, as a
    # browser that matched 'self' to nothing would need. It widens nothing in
    # Chromium, and the pages served over http do not have it.
    own = "'self' file:" if offline else "'self'"
    directives = [
        "default-src 'none'",  # everything not named below: no frames, media, manifest...
        "script-src " + " ".join([own, "'unsafe-inline'"] if any_inline else [own, *dict.fromkeys(hashes)]),
        # 'unsafe-inline' for styles only: the inline SVG charts carry style
        # attributes and <style> elements (Matplotlib's SVG), and the theme sets
        # style attributes from its scripts. A style cannot run code.
        f"style-src {own} 'unsafe-inline'",
        f"img-src {own} data:",  # data: the theme's icons, as data: URLs in its CSS
        f"font-src {own}",  # none today (theme.font: false); the site's own if it ever ships one
        f"connect-src {own}",  # the search index; the language selector's sitemap.xml
        f"worker-src {own}",  # the search worker (served site; offline it runs in an <iframe>)
        # No frame-src: the iframe-worker shim's <iframe> has no src (its
        # document is written by script), which frame-src does not govern.
        "base-uri 'self'",
        f"form-action {own}",
        "object-src 'none'",
    ]
    return "; ".join(directives)


def meta(hashes=(), *, offline: bool = False, any_inline: bool = False) -> str:
    text = policy(hashes, offline=offline, any_inline=any_inline)  # quotes are all ' (no escaping needed in a "...")
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(text, quote=False)}">'


def add_policy(
    page: str,
    *,
    offline: bool = False,
    theme: str | None = None,
    extra_scripts: tuple[str, ...] | list[str] = (),
    any_inline: bool = False,
) -> str:
    """``page`` with its policy meta tag, first thing in <head> after the charset.

    ``theme``: the page as the theme wrote it, without the page's content (the
    Markdown and the data): only the inline scripts found there are allowed, so
    a <script> that came in with the content stays blocked whatever it says.
    By default every inline script of ``page`` is allowed.
    ``extra_scripts``: texts of inline scripts the page's own scripts write into
    documents that inherit its policy (the iframe-worker shim's bootstrap).
    ``any_inline``: allow every inline script, no hashes (see ``policy``).
    Applied again, it replaces the tag it wrote: the result is the same.
    """
    page = META_RE.sub("", page)
    head = _HEAD_RE.search(page)
    if head is None:
        raise ValueError("a page without <head>: nowhere to put its Content-Security-Policy")
    at = head.end()
    if _SCRIPT_TAG_RE.search(page, 0, at):
        raise ValueError("a <script> before <head>: a Content-Security-Policy meta tag would not cover it")
    # After <meta charset>, which must stay in the first bytes of the page;
    # before anything the policy covers (nothing but the charset comes first).
    charset = _CHARSET_RE.match(page, at)
    if charset is not None:
        at = charset.end()
    inline = inline_scripts(page if theme is None else META_RE.sub("", theme))
    hashes = [script_hash(s) for s in [*inline, *extra_scripts]]
    indent = re.search(r"\n([ \t]*)\S[^\n]*$", page[:at])
    tag = meta(hashes, offline=offline, any_inline=any_inline)
    return page[:at] + "\n" + (indent.group(1) if indent else "") + tag + page[at:]


# --------------------------------------------------------------------------
# The iframe-worker shim (offline archive)
#
# Under file:// Chromium refuses to start a Worker, so the shim runs the search
# worker in a hidden <iframe>: it writes into it a document whose first, inline
# <script> defines postMessage and importScripts. That document inherits the
# page's policy, so the policy must allow that script's hash. Its text is a
# template in the shim: `${f}` for a function f of the shim is that function's
# source text (what Function.prototype.toString gives), any other `${...}` is
# the worker's URL (the "search" of the page's configuration).
# --------------------------------------------------------------------------

_SHIM_SCRIPT = re.compile(r"<script>((?:(?!<\\/script>).)*)<\\/script>", re.S)


def _function_source(js: str, name: str) -> str | None:
    """The source text of ``function name(...){...}`` in ``js`` (braces counted)."""
    start = js.find(f"function {name}(")
    if start < 0:
        return None
    depth, i = 0, js.index("{", start)
    while i < len(js):
        depth += {"{": 1, "}": -1}.get(js[i], 0)
        if depth == 0:
            return js[start : i + 1]
        i += 1
    return None


def iframe_worker_bootstrap(shim: str, worker_url: str) -> str | None:
    """The inline script the iframe-worker shim ``shim`` writes for ``worker_url``."""
    found = _SHIM_SCRIPT.search(shim)
    if found is None or "\\" in found.group(1):  # an escape in the template: not its text as written
        return None

    def fill(m: re.Match) -> str:
        return _function_source(shim, m.group(1)) or worker_url

    return re.sub(r"\$\{(\w+)\}", fill, found.group(1))


def worker_url(page: str) -> str | None:
    """The search worker's URL in the page's Material configuration, if any."""
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)
    if found is None:
        return None
    try:
        return json.loads(found.group(1)).get("search")
    except ValueError:
        return None

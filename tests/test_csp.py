"""The Content-Security-Policy of every page (macros/publish/csp.py): the tag on small
pages, on every page of the built site, and in Chromium, served over http and
from the offline archive (file://): the site still works, and a script that
was not there when the policy was written does not run."""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from macros.publish import csp

try:  # test_browser.py's fixtures: the browser, the served site, the archive unzipped
    from browser import chromium_available, search, serve
    from test_browser import archive_dir, browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover - without them there is no browser to drive
    chromium_available = None

ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "docs" / "assets" / "vendor" / "iframe-worker" / "shim.js"


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


def policies(page: str) -> list[str]:
    """The policies of ``page``'s CSP meta tags."""
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    return [html.unescape(m) for m in found]


# --------------------------------------------------------------------------
# macros/publish/csp.py on small pages
# --------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>t</title>
    <script src="assets/a.js"></script>
    <script>var a = 1;</script>
  </head>
  <body>
    <!-- <script>commented()</script> -->
    <p>text</p>
    <script id="__config" type="application/json">{"search": "w.js"}</script>
    <script type="module">import "./b.js"</script>
    <script data-note="a > b" type="text/javascript">c()</script>
  </body>
</html>
"""


def test_each_executable_inline_script_has_its_sha256():
    out = csp.add_policy(PAGE)
    (policy,) = policies(out)
    script_src = directives(policy)["script-src"]
    assert script_src == ["'self'", sha256("var a = 1;"), sha256('import "./b.js"'), sha256("c()")]


def test_a_json_block_and_a_commented_script_get_no_hash():
    assert csp.inline_scripts(PAGE) == ["var a = 1;", 'import "./b.js"', "c()"]
    assert sha256('{"search": "w.js"}') not in csp.add_policy(PAGE)


def test_the_hash_is_of_the_text_the_browser_sees():
    """The HTML parser turns CR LF into LF before the browser hashes a script."""
    page = PAGE.replace("var a = 1;", "var a = 1;\r\nvar b = 2;")
    assert sha256("var a = 1;\nvar b = 2;") in csp.add_policy(page)


def test_the_meta_comes_right_after_the_charset_before_any_script():
    out = csp.add_policy(PAGE)
    at = out.index('<meta http-equiv="Content-Security-Policy"')
    assert out.index('<meta charset="utf-8">') < at < out.index("<title>") < out.index("<script")
    assert '    <meta charset="utf-8">\n    <meta http-equiv=' in out  # on its own line, indented alike


def test_without_a_charset_the_meta_opens_the_head():
    out = csp.add_policy(PAGE.replace('    <meta charset="utf-8">\n', ""))
    assert re.search(r"<head>\n\s*<meta http-equiv=\"Content-Security-Policy\"", out)


def test_applied_twice_the_page_is_the_same():
    once = csp.add_policy(PAGE)
    assert csp.add_policy(once) == once
    assert csp.add_policy(once, offline=True) == csp.add_policy(PAGE, offline=True)
    assert len(policies(once)) == 1


def test_a_page_it_cannot_protect_is_an_error():
    with pytest.raises(ValueError):
        csp.add_policy("<p>no head</p>")
    with pytest.raises(ValueError):
        csp.add_policy("<script>early()</script><html><head></head></html>")


def test_a_script_that_came_with_the_content_is_not_allowed():
    content = "<p>Text</p><script>stolen()</script>"
    theme = PAGE.replace("<p>text</p>", "<!-- content -->")
    out = csp.add_policy(theme.replace("<!-- content -->", content), theme=theme)
    assert sha256("stolen()") not in out
    assert sha256("var a = 1;") in out and sha256("c()") in out


def test_the_policy_allows_only_the_sites_own_scripts():
    online = directives(csp.policy([sha256("x")]))
    assert online["default-src"] == ["'none'"]
    assert online["script-src"] == ["'self'", sha256("x")]
    assert online["object-src"] == ["'none'"]
    assert online["base-uri"] == ["'self'"]
    for values in online.values():
        assert "'unsafe-eval'" not in values and "*" not in values and "https:" not in values and "http:" not in values
    assert [name for name, values in online.items() if "'unsafe-inline'" in values] == ["style-src"]
    assert "frame-ancestors" not in online  # ignored in a <meta>; Chromium warns about it
    assert not any("file:" in v for v in online.values())
    offline = directives(csp.policy(offline=True))
    assert offline["script-src"] == ["'self'", "file:"]


def test_the_iframe_worker_bootstrap_is_what_the_vendored_shim_writes():
    text = csp.iframe_worker_bootstrap(SHIM.read_text(encoding="utf-8"), "../assets/w.js")
    assert text == (
        'postMessage=function c(s,n){parent.postMessage(s,n||"*")};'
        "importScripts=function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{"
        'let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),'
        "Promise.resolve())};"
        'addEventListener("error",({error})=>{parent.dispatchEvent('
        'new ErrorEvent("error",{filename:"../assets/w.js",error}))})'
    )
    assert csp.worker_url(PAGE) == "w.js"


def _config(offline: bool) -> dict:
    """What the hooks read of MkDocs' configuration."""
    plugins = {"offline": SimpleNamespace(config={"enabled": True})} if offline else {}
    polyfills = ["assets/vendor/iframe-worker/shim.js"]
    return {"plugins": plugins, "extra": {"polyfills": polyfills}, "docs_dir": str(ROOT / "docs")}


THEME = PAGE.replace("<p>text</p>", "{content}")


@pytest.mark.parametrize("offline", [False, True])
def test_the_hooks_allow_the_themes_scripts_not_the_contents(offline):
    from macros.site import hooks as mkdocs_hooks

    content = "<p>Text</p><script>stolen()</script>"
    page = SimpleNamespace(content=content, file=SimpleNamespace(src_uri="not-pre-rendered.md"))
    out = mkdocs_hooks.on_post_page(THEME.replace("{content}", content), page, _config(offline))
    (policy,) = policies(out)
    script_src = directives(policy)["script-src"]
    assert sha256("stolen()") not in script_src
    assert sha256("var a = 1;") in script_src and sha256("c()") in script_src
    bootstrap = csp.iframe_worker_bootstrap(SHIM.read_text(encoding="utf-8"), "w.js")
    assert (sha256(bootstrap) in script_src) is offline
    assert ("file:" in script_src) is offline


def test_an_archive_without_the_vendored_shim_is_a_warning(caplog):
    """Its search would be blocked: under ``strict`` the warning fails the build."""
    from macros.site import hooks as mkdocs_hooks

    config = _config(True)
    config["extra"]["polyfills"] = ["https://unpkg.com/iframe-worker/shim"]  # the offline plugin's default
    page = SimpleNamespace(content="<p>Text</p>", file=SimpleNamespace(src_uri="not-pre-rendered.md"))
    mkdocs_hooks._SHIMS.pop("warned", None)
    try:
        out = mkdocs_hooks.on_post_page(THEME.replace("{content}", "<p>Text</p>"), page, config)
    finally:
        mkdocs_hooks._SHIMS.pop("warned", None)
    assert "iframe-worker shim" in caplog.text
    assert len(directives(policies(out)[0])["script-src"]) == 2 + 3  # 'self' file: and the page's own three


def test_under_serve_the_preview_allows_the_live_reload_script():
    """MkDocs' server appends an inline script (new text on each request) to every page."""
    from macros.site import hooks as mkdocs_hooks

    page = SimpleNamespace(content="<p>Text</p>", file=SimpleNamespace(src_uri="not-pre-rendered.md"))
    mkdocs_hooks.on_startup(command="serve", dirty=False)
    try:
        out = mkdocs_hooks.on_post_page(THEME.replace("{content}", "<p>Text</p>"), page, _config(False))
    finally:
        mkdocs_hooks.on_startup(command="build", dirty=False)
    script_src = directives(policies(out)[0])
    assert script_src["script-src"] == ["'self'", "'unsafe-inline'"]  # no hash: it would switch 'unsafe-inline' off
    assert script_src["default-src"] == ["'none'"] and script_src["object-src"] == ["'none'"]


def test_the_hooks_cover_the_themes_own_pages_not_the_sitemap():
    from macros.site import hooks as mkdocs_hooks

    assert len(policies(mkdocs_hooks.on_post_template(PAGE, "404.html", _config(False)))) == 1
    sitemap = '<?xml version="1.0"?><urlset></urlset>'
    assert mkdocs_hooks.on_post_template(sitemap, "sitemap.xml", _config(False)) == sitemap


# --------------------------------------------------------------------------
# Every page of the built site
# --------------------------------------------------------------------------


class _Reference(HTMLParser):
    """An independent reading of a page (Python's HTML parser, not csp.py's scan)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str]] = []  # ("csp", policy), ("src", url), ("inline", text), in order
        self.handlers: list[str] = []  # on* attributes and javascript: links: a policy blocks them
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy":
            self.events.append(("csp", attrs.get("content") or ""))
        if tag == "script":
            kind = (attrs.get("type") or "").strip().lower()
            runs = kind in ("", "module", "text/javascript", "application/javascript")
            if "src" in attrs:
                self.events.append(("src", attrs["src"]))
            elif runs:
                self._script = []

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.events.append(("inline", "".join(self._script)))
            self._script = None


@pytest.mark.build
@pytest.mark.parametrize("site", ["real_site", "archive_dir"])
def test_every_page_has_one_policy_first_with_the_hash_of_each_inline_script(request, site):
    """Served site and archive: exactly the hashes of the page's inline scripts (and,
    in the archive, of the iframe-worker's bootstrap), and no inline event handler."""
    offline = site == "archive_dir"
    site = request.getfixturevalue(site)
    shim = SHIM.read_text(encoding="utf-8")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        ref = _Reference()
        ref.feed(text)
        ref.close()
        found = [value for kind, value in ref.events if kind == "csp"]
        assert len(found) == 1, path
        assert ref.events[0][0] == "csp", (path, "a script comes before the policy")
        script_src = directives(found[0])["script-src"]
        own = ["'self'", "file:"] if offline else ["'self'"]
        assert script_src[: len(own)] == own, path
        expected = {sha256(t) for kind, t in ref.events if kind == "inline"}
        if offline and csp.worker_url(text):
            expected.add(sha256(csp.iframe_worker_bootstrap(shim, csp.worker_url(text))))
        assert sorted(script_src[len(own) :]) == sorted(expected), path
        assert ref.handlers == [], path


@pytest.mark.build
def test_the_theme_pages_and_the_redirects_have_it_too(real_site):
    """404.html (a theme template) and a renamed record's redirect are not built from Markdown."""
    for rel in ("404.html", "devices/demo/index.html", "zh/devices/demo/index.html"):
        text = (real_site / rel).read_text(encoding="utf-8")
        assert len(policies(text)) == 1, rel
    redirect = (real_site / "devices/demo/index.html").read_text(encoding="utf-8")
    assert "<script" not in redirect  # nothing to hash: script-src is 'self' alone
    assert directives(policies(redirect)[0])["script-src"] == ["'self'"]


# --------------------------------------------------------------------------
# In Chromium: served, and from the archive on disk
# --------------------------------------------------------------------------

def browser_test(fn):
    """Marked as test_browser.py's tests are."""
    fn = pytest.mark.browser(fn)
    missing = chromium_available is None or (not chromium_available() and not os.environ.get("CI"))
    return pytest.mark.skipif(missing, reason="chromium is not installed")(fn)


# Listens in every frame (the iframe-worker's too) before the page's scripts run.
# Scripts injected by the browser's driver are not subject to the page's policy.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => {
  let log = window.__violations;
  try { log = window.top.__violations || log; } catch (_) {}  // the iframe-worker's frame: the page's list
  log.push(
    e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""

class Watched:
    """A new page recording console errors, uncaught exceptions and policy violations."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})  # bypass_csp stays off
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on(
            "console",
            lambda m: self.console.append(f"{m.text} @ {m.location.get('url')}") if m.type == "error" else None,
        )
        self.page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))

    def goto(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("load")

    def problems(self) -> list[str]:
        self.page.wait_for_load_state("networkidle")  # messages of the page's late requests
        return self.console + self.page.evaluate("window.__violations")

    def close(self):
        self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture(params=["served", "archive"])
def where(request):
    """(base URL, page address style) of the site served over http, or of the archive on disk."""
    if request.param == "served":
        return request.getfixturevalue("site_url"), "/"
    return request.getfixturevalue("archive_dir").as_uri() + "/", ".html"


def address(base: str, style: str, page: str) -> str:
    """``page`` (e.g. "devices/iter/" or "") under the site at ``base``."""
    if style == ".html":
        page = page.rstrip("/") + ".html" if page else "index.html"
    return base + page


@browser_test
@pytest.mark.parametrize("page", ["", "devices/iter/", "zh/devices/iter/"])
def test_pages_run_their_scripts_with_no_violation(browser, where, page):
    """The theme's inline scripts (hashed), its bundle and the iframe-worker shim all ran."""
    base, style = where
    with Watched(browser) as w:
        w.goto(address(base, style, page))
        ran = "[typeof __md_get, typeof palette, typeof target, typeof document$, typeof IFrameWorker]"
        assert w.page.evaluate(ran) == ["function", "object", "object", "object", "function"]
        assert w.page.locator("article h1").first.is_visible()
        assert w.problems() == []


@browser_test
def test_search_finds_tokamak_with_no_violation(browser, where):
    base, style = where
    with Watched(browser) as w:
        w.goto(address(base, style, "devices/iter/"))
        assert search(w.page, "tokamak")
        assert w.problems() == []


@browser_test
def test_the_language_switch_reaches_the_chinese_page_with_no_violation(browser, where):
    base, style = where
    with Watched(browser) as w:
        w.goto(address(base, style, "devices/iter/"))
        w.page.locator(".md-header__option .md-select").hover()
        w.page.locator(".md-select__link[hreflang='zh']").click()
        w.page.wait_for_load_state("load")
        assert urlsplit(w.page.url).path.endswith("/zh/devices/iter" + ("/" if style == "/" else ".html"))
        assert w.page.locator("html").get_attribute("lang") == "zh"
        assert w.problems() == []


INJECTED = '<script>window.__pwned=1</script><img src="x.png" onerror="window.__pwned2=1">'


@browser_test
@pytest.mark.parametrize("kind", ["served", "archive"])
def test_a_script_injected_after_the_policy_does_not_run(browser, kind, request, tmp_path):
    """Negative control: the same page with and without its policy, both with an
    injected inline script and event handler; only the one without runs them."""
    if kind == "served":
        site, name = request.getfixturevalue("real_site"), "devices/iter/index.html"
    else:
        site, name = request.getfixturevalue("archive_dir"), "devices/iter.html"
    page = (site / name).read_text(encoding="utf-8")
    assert len(policies(page)) == 1
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "x.png").write_bytes(b"not an image")
    (folder / "with.html").write_text(page.replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    unprotected = csp.META_RE.sub("", page)
    (folder / "without.html").write_text(unprotected.replace("</body>", INJECTED + "</body>"), encoding="utf-8")
    server = None
    if kind == "served":
        base, server = serve(folder)
    else:
        base = folder.as_uri() + "/"
    script_violations = "(window.__violations || []).filter(v => v.startsWith('script-src')).length"
    try:
        with Watched(browser) as w:
            w.goto(base + "without.html")
            w.page.wait_for_function("window.__pwned === 1 && window.__pwned2 === 1")  # the injection works
            w.goto(base + "with.html")
            w.page.wait_for_function(f"{script_violations} >= 2")  # both blocked, and reported
            assert w.page.evaluate("[window.__pwned, window.__pwned2]") == [None, None]
            assert w.page.evaluate(script_violations) == 2, w.page.evaluate("window.__violations")
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()

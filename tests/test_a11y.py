"""Accessibility (#17): axe-core, the engine behind Lighthouse's accessibility audit, finds no
serious or critical violation on a page of every type, in both languages, light and dark, on
a desktop and a phone. The theme's markup counts as much as the content.

axe-core comes from the pinned axe-playwright-python wheel (its axe.min.js); it is injected
with the page's Content-Security-Policy bypassed, as a reader's extension would be.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import chromium_available

try:  # test_browser.py's fixtures: the browser, the served site
    from test_browser import browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover
    pass

needs_browser = pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")

# One page of every type.
PAGES = ["", "devices/", "devices/iter/", "devices/tftr/", "members/", "members/eu/", "eras/", "eras/iter-construction/",
         "organisations/ukaea/", "sites/cadarache/", "people/bernard-bigot/", "timeline/", "references/", "disagreements/", "data/",
         "about-data/", "how-it-works/"]


def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _existing(site_url: str, pages: list[str], real_site: Path) -> list[str]:
    out = []
    for path in pages:
        assert (real_site / path / "index.html").is_file(), f"no page {path!r}: update the sample"
        out.append(path)
    return out


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "zh/"])
@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "dark")])
def test_no_serious_or_critical_violation(browser, site_url, real_site, lang, width, scheme):
    axe = _axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in _existing(site_url, [lang + p for p in PAGES], real_site):
        page.goto(site_url + path)
        page.add_script_tag(content=axe)
        violations = page.evaluate(RUN)
        if violations:
            found[path or "/"] = violations
    context.close()
    assert not found, found

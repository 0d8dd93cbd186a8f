"""Search that finds the page asked for (#17): names, abbreviations and aliases lead to their page,
in the reader's language first; hyphen-free forms; traditional characters; snippets without
footnote digits. Measured with the site's own search worker and index, and in the search box."""

from __future__ import annotations

import json
import os

import pytest

from browser import chromium_available, search
from conftest import ROOT

try:  # test_browser.py's fixtures: the browser, the served site
    from test_browser import browser, site_url  # noqa: F401
except ImportError:  # pragma: no cover
    pass

from macros.publish import search as entries

needs_browser = pytest.mark.skipif(not chromium_available() and not os.environ.get("CI"), reason="chromium is not installed")


def test_keywords_hold_every_name_squashed_designations_and_traditional_forms(real_atlas):
    words = entries.keywords(real_atlas, "jt-60sa", "en").split()
    assert "jt" in words and "60sa" in words and "jt60sa" in words
    zh = entries.keywords(real_atlas, "iter", "zh").split()
    assert "國際" in zh and "反應堆" in zh and "国际" in zh and "iter" in zh  # words of the name, both scripts
    assert len(zh) == len(set(zh))  # each word once: the tags carry how a page names itself
    assert "itertokamak" not in entries.keywords(real_atlas, "iter", "en")  # no squashed names of words
    assert entries.tags(real_atlas, "iter", "en") == ["ITER"] * 3  # a one-word name outweighs "US ITER"
    assert entries.tags(real_atlas, "ht-7", "en")[:2] == ["HT-7 tokamak", "ht7tokamak"]


def test_entries_are_shaped_for_readers(real_atlas):
    entry = {"location": "zh/devices/east/", "title": "EAST", "text": "<p>Text<sup>12</sup> more</p>"}
    shaped = json.loads(entries.shape_entry(real_atlas, json.dumps(entry)))
    assert shaped["text"] == "<p>Text more</p>" and shaped["keywords"] and shaped["tags"]
    assert 1 <= shaped["boost"] <= entries.MAX_BOOST
    assert entries.page_of_location("devices/iter.html") == ("devices", "iter", "en")
    assert entries.page_of_location("devices/iter/#timeline") is None  # a section keeps its own entry
    assert entries.page_of_location("assets/x/") is None
    settings = entries.with_keywords_field({"fields": {"title": {"boost": 1000}}})
    assert settings["fields"]["keywords"]["boost"] == entries.KEYWORDS_BOOST and settings["fields"]["title"]["boost"] == 1000


def test_the_index_has_no_infobox_cells_nor_footnote_digits(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    iter_entry = next(d for d in index["docs"] if d["location"] == "devices/iter/")
    assert "<sup>" not in iter_entry["text"] and not iter_entry["text"].startswith("Configuration")
    assert iter_entry["text"].startswith("<p>")  # the lead's sentences
    assert index["config"]["fields"]["keywords"]["boost"] == entries.KEYWORDS_BOOST


RANK = """async (queries) => {
  const config = JSON.parse(document.querySelector('#__config').textContent);
  const worker = new Worker(new URL(config.search, location.href));
  const index = await (await fetch(new URL(config.base + '/search/search_index.json', location.href))).json();
  const ask = (msg) => new Promise(resolve => { worker.onmessage = e => resolve(e.data); worker.postMessage(msg); });
  await ask({type: 0, data: {config: index.config, docs: index.docs, options: {suggest: false}}});
  await window.atlasSearch.ready();
  const out = [];
  for (const [q, lang] of queries) {
    const res = await ask({type: 2, data: q});
    // As the site shows them (assets/atlas-search.js): the page named exactly, then the reader's edition first.
    const shown = window.atlasSearch.order(q, res.data.items.map(group => group[0].location), lang === 'zh');
    out.push(shown[0] || null);
  }
  worker.terminate();
  return out;
}"""


@needs_browser
@pytest.mark.browser
def test_names_lead_to_their_page_in_their_language(browser, site_url, real_atlas):
    """Every name, abbreviation and alias of every record with a page, in each edition, through the
    site's own search worker: the share that lands on its page first. A name two records share
    is left out (it cannot lead to one page)."""
    from macros.core.atlas import PAGE_KINDS

    owners: dict = {}
    queries = []
    for kind in PAGE_KINDS:
        for rid, rec in real_atlas.records[kind].items():
            for lang in ("en", "zh"):
                for name in {rec.name.get(lang), rec.name.en, *rec.aliases}:
                    owners.setdefault((name.lower(), lang), set()).add(rid)
                    queries.append((name, lang, f"{'zh/' if lang == 'zh' else ''}{kind}/{rid}/"))
    queries = [q for q in queries if len(owners[(q[0].lower(), q[1])]) == 1]
    page = browser.new_context().new_page()
    page.goto(site_url)
    first = page.evaluate(RANK, [[q, lang] for q, lang, _ in queries])
    misses = [(q, lang, want, got) for (q, lang, want), got in zip(queries, first) if got != want]
    out = ROOT / "test-artifacts" / "search-misses.tsv"
    out.parent.mkdir(exist_ok=True)
    out.write_text("".join(f"{q}\t{lang}\t{want}\t{got}\n" for q, lang, want, got in misses), encoding="utf-8")
    assert len(queries) > 1500
    assert not misses, f"{len(misses)} of {len(queries)} names do not lead to their page first; see {out}"
    # The main subjects, always.
    for name, lang, want in (("ITER", "en", "devices/iter/"), ("JET", "en", "devices/jet/"), ("EAST", "en", "devices/east/"),
                             ("KSTAR", "en", "devices/kstar/"), ("国际热核聚变实验反应堆", "zh", "zh/devices/iter/"),
                             ("JT-60SA", "zh", "zh/devices/jt-60sa/"), ("Cadarache", "zh", "zh/sites/cadarache/"),
                             ("jt60sa", "en", "devices/jt-60sa/"), ("ht7", "en", "devices/ht-7/"),
                             ("國際熱核聚變實驗反應堆", "zh", "zh/devices/iter/"), ("卡達拉舍", "zh", "zh/sites/cadarache/")):
        assert page.evaluate(RANK, [[name, lang]]) == [want], name


@needs_browser
@pytest.mark.browser
@pytest.mark.parametrize("lang, query, title", [
    ("", "ITER", "ITER"),
    ("", "jt60sa", "JT-60SA"),
    ("zh/", "JT-60SA", "JT-60SA超导托卡马克装置"),
    ("zh/", "國際熱核聚變實驗反應堆", "国际热核聚变实验反应堆"),
    ("", "China", "China"),  # not China Fusion Energy Co.
    ("", "UK", "United Kingdom"),  # not UKAEA
    ("zh/", "Heliotron J", "Heliotron J螺旋器"),
])
def test_the_search_box_puts_the_page_in_the_readers_language_first(browser, site_url, lang, query, title):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{site_url}{lang}")
    titles = [t.replace("\u200b", "") for t in search(page, query)]
    assert titles[0] == title, titles[:5]
    snippet = page.locator(".md-search-result__item").first.inner_text()
    assert not snippet.startswith(("Configuration", "位形"))  # the lead, not the infobox


@needs_browser
@pytest.mark.browser
def test_the_script_compares_names_as_the_names_file_does(browser, site_url):
    """A query is matched to a name after the same normalisation on both sides."""
    page = browser.new_context().new_page()
    page.goto(site_url)
    samples = ["JT-60SA", "jt 60 sa", "Ｗ７－Ｘ", "Tore Supra", "HL-2A", "國際熱核聚變實驗反應堆", "St. Petersburg (Russia)",
               "中国环流器二号A（HL-2A）", "D-T", "Fusion for Energy: F4E", "O’Neill"]
    assert page.evaluate("(s) => s.map(window.atlasSearch.key)", samples) == [entries.name_key(s) for s in samples]


def test_the_names_file_leaves_out_names_two_pages_share(real_atlas):
    import json as json_lib

    text = entries.names_script(real_atlas, directory_urls=False)
    data = json_lib.loads(text.split("=", 1)[1].strip().rstrip(";"))
    pages = {p[0]: i for i, p in enumerate(data["pages"])}
    assert data["directoryUrls"] is False
    assert data["keys"]["jt60sa"] == pages["devices/jt-60sa"] and data["keys"]["uk"] == pages["members/uk"]
    assert data["keys"][entries.name_key("國際熱核聚變實驗反應堆")] == pages["devices/iter"]  # traditional form
    shared = {}
    for kind in ("devices", "organisations"):
        for rid, rec in real_atlas.records[kind].items():
            for name in (rec.name.en, *rec.aliases):
                shared.setdefault(entries.name_key(name), set()).add(rid)
    ambiguous = [k for k, ids in shared.items() if len(ids) > 1]
    assert ambiguous and not any(k in data["keys"] for k in ambiguous)

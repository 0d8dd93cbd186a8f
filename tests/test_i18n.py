"""The Chinese edition: same pages, Chinese interface, same figures as English."""

import json
import re
from collections import Counter

import pytest

from htmlcheck import parse
from macros.core.atlas import PAGE_KINDS
from macros.render.labels import label
from macros.core.lint import CJK, LATIN_WORDS
from macros.core.model import PARAMETERS

pytestmark = pytest.mark.build

NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(million|billion)\b|(亿|万))?")
_TIMES = {"million": 1e6, "billion": 1e9, "亿": 1e8, "万": 1e4}


def numbers(text: str) -> Counter:
    """The numbers of a text, by value: "150 million" in English is "1.5亿" in Chinese."""
    out = Counter()
    for digits, word, zh_word in NUMBER.findall(text):
        value = float(digits.replace(",", "")) * _TIMES.get(word or zh_word, 1)
        out[f"{value:.6g}"] += 1
    return out


def zh_twin(site, en_page):
    rel = en_page.relative_to(site)
    return site / "zh" / rel


def test_every_page_exists_in_chinese(real_site):
    en_pages = [
        p for p in real_site.rglob("*.html")
        if p.relative_to(real_site).parts[0] != "zh" and p.name != "404.html"  # one 404 page serves both
    ]
    missing = [str(p.relative_to(real_site)) for p in en_pages if not zh_twin(real_site, p).exists()]
    assert missing == []
    assert len(en_pages) > 100


def test_one_404_page_answers_every_missing_address_in_both_languages(real_site):
    """A static host answers any missing address, in either language, with the root's 404.html:
    the default language's frame, its text in both, and a language menu that leads to each home
    page (it led to the last page the theme had rendered, in a Chinese frame)."""
    page = (real_site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page and "<title>Fusion Atlas</title>" in page
    assert "<h1>Page not found</h1>" in page and '<h2 lang="zh">找不到此页面</h2>' in page
    assert re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"', page) == [("/", "en"), ("/zh/", "zh")]
    assert re.findall(r'<a href="([^"]*)">(home page|中文首页)</a>', page) == [("/", "home page"), ("/zh/", "中文首页")]
    assert not (real_site / "zh" / "404.html").exists()


def test_pages_name_their_translation_in_the_sitemap_not_in_their_head(real_site):
    """The theme fetches sitemap.xml under every <link rel="alternate"> of a page's head, taking it
    for a language's root: each page asked for two sitemaps that do not exist. Search engines find
    the pairs in sitemap.xml, and readers in the language menu."""
    pages = [p for p in real_site.rglob("*.html") if "/assets/" not in p.as_posix()]
    assert len(pages) > 400
    assert [p for p in pages if '<link rel="alternate"' in p.read_text(encoding="utf-8")] == []
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    for rel in ("devices/iter/", "timeline/"):
        assert f'hreflang="en" href="https://fusion-atlas.invalid/{rel}"' in sitemap
        assert f'hreflang="zh" href="https://fusion-atlas.invalid/zh/{rel}"' in sitemap
    iter_page = (real_site / "devices" / "iter" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../zh/devices/iter/" hreflang="zh"' in iter_page


@pytest.mark.parametrize(("only", "language", "writes"), [
    (None, "en", True), (None, "zh", False), ("zh", "zh", True), ("en", "en", True),
])
def test_the_404_page_is_written_by_one_build(only, language, writes):
    """Each language's build writes the theme's pages to the site's root: the default language's
    does, unless a preview (make serve SERVE_LANG=zh) builds another alone. The language menu of
    that page leads to each language's home, under the site's own path."""
    from types import SimpleNamespace

    from macros.site.adapter import language_roots, writes_theme_pages

    class Options(dict):  # a plugin's options, read as MkDocs gives them: by key and by attribute
        __getattr__ = dict.__getitem__

    languages = [SimpleNamespace(locale="en", default=True, link="/"), SimpleNamespace(locale="zh", default=False, link="/zh/")]
    i18n = SimpleNamespace(config=Options(build_only_locale=only, languages=languages))
    alternates = [{"name": "English", "link": "/sites/x/", "lang": "en"}, {"name": "中文", "link": "/zh/sites/x/", "lang": "zh"}]
    config = {"plugins": {"i18n": i18n}, "theme": {"language": language}, "extra": {"alternate": alternates},
              "site_url": "https://example.org/atlas/"}
    assert writes_theme_pages(config) is writes
    assert [a["link"] for a in language_roots(config)] == ["/atlas/", "/atlas/zh/"]
    assert [a["name"] for a in language_roots(config)] == ["English", "中文"]


def test_chinese_pages_are_marked_chinese_with_chinese_labels(real_site, real_atlas):
    for kind in PAGE_KINDS:
        for rid, rec in real_atlas.records[kind].items():
            page = parse(real_site / "zh" / kind / rid / "index.html")
            assert page.lang.startswith("zh")
            assert page.h1 == rec.name.zh
            for key in page.infobox:
                assert not re.search(r"[A-Za-z]", key), (kind, rid, key)


# Infobox rows that hold figures and dates (names and lists of parts are words).
FIGURE_ROWS = [
    "first_plasma", "end_of_operation", *PARAMETERS, "headline_records", "joined", "left", "share",
    "founded", "dates", "events", "coordinates", "life",
]


def test_figures_are_identical_in_both_languages(real_site, real_atlas):
    """Every number in each English figure row is in the same Chinese row."""
    checked = 0
    for kind in PAGE_KINDS:
        for rid in real_atlas.records[kind]:
            en = parse(real_site / kind / rid / "index.html").infobox
            zh = parse(real_site / "zh" / kind / rid / "index.html").infobox
            assert len(en) == len(zh), (kind, rid)
            for key in FIGURE_ROWS:
                en_value, zh_value = en.get(label(key, "en")), zh.get(label(key, "zh"))
                assert (en_value is None) == (zh_value is None), (kind, rid, key)
                if en_value is None:
                    continue
                missing = numbers(en_value) - numbers(zh_value)
                assert not missing, (kind, rid, key, en_value, zh_value)
                checked += 1
    assert checked > 120


def test_no_english_paragraph_on_chinese_pages(real_site):
    offenders = []
    for html in (real_site / "zh").rglob("*.html"):
        for para in parse(html).paragraphs:
            if para and not CJK.search(para) and LATIN_WORDS.search(para):
                offenders.append((str(html.relative_to(real_site)), para[:80]))
    assert offenders == []


def test_chinese_dates_and_units(real_site):
    iter_zh = parse(real_site / "zh" / "devices" / "iter" / "index.html").infobox
    assert re.fullmatch(r"\d{4}年(\d{1,2}月(\d{1,2}日)?)?（计划）", iter_zh["研究运行启动"]) or "计划" in iter_zh["研究运行启动"]
    assert iter_zh["大半径"].endswith("米")
    assert iter_zh["等离子体电流"].endswith("兆安")


def _both_ways(entries: list[dict], languages: list[str]) -> tuple[list[dict], list[dict]]:
    """(what mkdocs-static-i18n's own code keeps, what the adapter's replacement keeps)."""
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    from macros.site.adapter import _linear_search_dedup

    class Fake:
        build_languages = languages

    expected = [dict(e) for e in entries]
    ExtendedPlugin.reconfigure_search_duplicates(Fake(), expected)
    fake = Fake()
    _linear_search_dedup(fake)
    actual = [dict(e) for e in entries]
    fake.reconfigure_search_duplicates(actual)
    return expected, actual


def test_linear_search_dedup_matches_i18n_rule():
    """The adapter's replacement keeps exactly what mkdocs-static-i18n's own rule keeps."""
    expected, actual = _both_ways([
        {"title": "JET", "location": "devices/jet/", "text": "a"},
        {"title": "JET", "location": "zh/devices/jet/", "text": "a"},  # duplicate: dropped
        {"title": "欧洲联合环状反应堆", "location": "zh/devices/jet/", "text": "b"},
        {"title": "Home", "location": "", "text": "h"},
        {"title": "Home", "location": "zh/", "text": "h"},  # duplicate of the home page
        {"title": "Home", "location": "zh/", "text": "other"},
    ], ["zh"])
    assert actual == expected
    assert len(actual) == 4


def test_search_dedup_applies_i18n_suffix_rule():
    """A home-page entry (location "") matches every translated location that ends with
    "", so i18n drops a translated entry with the same title and text anywhere: one kept."""
    expected, actual = _both_ways([
        {"title": "Fusion Atlas", "location": "", "text": "t"},
        {"title": "Fusion Atlas", "location": "zh/about/", "text": "t"},
        {"title": "Fusion Atlas", "location": "zh/", "text": "t"},
    ], ["en", "zh"])
    assert actual == expected
    assert len(actual) == 2  # i18n's loop steps over the entry right after the one it removed


from hypothesis import given, settings, strategies as st  # noqa: E402

_TITLES = st.sampled_from(["Home", "JET", "ITER", "欧洲"])
_TEXTS = st.sampled_from(["a", "b", ""])
_PATHS = st.sampled_from(["", "devices/jet/", "jet/", "t/", "devices/jet/#x", "about/", "/"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(_TITLES, _TEXTS, st.sampled_from(["", "zh/", "en/"]), _PATHS), max_size=20, unique=True))
def test_search_dedup_equals_i18n_on_random_corpora(corpus):
    """Random corpora with suffix matches, shared titles and texts, both prefixes: the
    replacement keeps exactly the entries, in the order, that mkdocs-static-i18n's own code keeps."""
    entries = [{"title": t, "location": prefix + path, "text": x} for t, x, prefix, path in corpus]
    expected, actual = _both_ways(entries, ["en", "zh"])
    assert actual == expected


def test_search_index_writer_writes_what_material_and_i18n_write(tmp_path):
    """``write_search_index`` streams the index from entries kept in files and in
    memory; its JSON equals Material's own index after mkdocs-static-i18n's own
    (quadratic) removal of duplicated translations, written in UTF-8 rather than with
    ``\\u`` escapes."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex
    from mkdocs_static_i18n.reconfigure import ExtendedPlugin

    from macros.publish.search import index_json
    from macros.site.adapter import _entry_json, _PageEntries, _search_record, write_search_index

    entries = [
        {"location": "", "title": "Home", "text": "h"},
        {"location": "devices/jet/", "title": "JET", "text": "a <b>&amp;</b>"},
        {"location": "devices/jet/#timeline", "title": "Timeline", "text": "1983 \u2013 first plasma"},
        {"location": "zh/", "title": "Home", "text": "h"},  # duplicate of the home page: dropped
        {"location": "zh/devices/jet/", "title": "JET", "text": "a <b>&amp;</b>"},  # duplicate: dropped
        {"location": "zh/devices/jet/", "title": "欧洲联合环", "text": "等离子体"},
        {"location": "zh", "title": "Home", "text": "h"},  # no prefix: kept
    ]
    settings = {"lang": ["en", "zh"], "separator": "[\\s]+", "pipeline": ["stemmer"], "fields": {"title": {"boost": 1e3}}}
    expected_index = SearchIndex(**settings)
    expected_index.entries = [dict(e) for e in entries]
    ExtendedPlugin.reconfigure_search_duplicates(SimpleNamespace(build_languages=["en", "zh"]), expected_index.entries)
    expected = expected_index.generate_search_index(None)

    # Pages 1 and 3 kept on disk, as the pre-rendering workers write them; the rest in memory.
    def on_disk(name, chunk):
        path = tmp_path / name
        path.write_text("".join("\t".join(_search_record(e, _entry_json(e))) + "\n" for e in chunk), encoding="utf-8")
        return _PageEntries(str(path))

    index = SearchIndex(**settings)
    index.entries = [on_disk("a.search", entries[:3]), entries[3], on_disk("b.search", entries[4:6]), entries[6]]
    search = SimpleNamespace(search_index=index)
    i18n = SimpleNamespace(config={"reconfigure_search": True}, build_languages=["en", "zh"])

    class Config(dict):
        plugins = {"material/search": search, "i18n": i18n}

    write_search_index(Config(site_dir=str(tmp_path / "site")))
    written = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert written == index_json(json.loads(expected)) and json.loads(written) == json.loads(expected)
    assert "欧洲联合环" in written and "\\u" not in written and "\\u" in expected
    assert len(json.loads(written)["docs"]) == 5


def test_kept_entries_reach_materials_own_index_when_it_writes_it(tmp_path):
    """Under ``serve --dirty`` (or without i18n) Material writes the index itself: a
    pre-rendered page's entries, kept in a file, are handed to it as entries."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    from macros.site import adapter

    entry = {"location": "devices/jet/", "title": "JET", "text": "a <b>&amp;</b>"}
    kept = tmp_path / "page.search"
    kept.write_text("\t".join(adapter._search_record(entry, adapter._entry_json(entry))) + "\n", encoding="utf-8")
    index = SearchIndex(lang=["en"], separator="[\\s]+", pipeline=[], fields={})
    search = SimpleNamespace(search_index=index, config=SimpleNamespace(enabled=True), is_dirty=True)

    class Config(dict):
        plugins = {"material/search": search}

    saved = adapter._STATE.pages
    adapter._STATE.pages = {"devices/jet.md": SimpleNamespace(search=str(kept))}
    try:
        adapter.patch_search(Config())
        index.add_entry_from_context(SimpleNamespace(file=SimpleNamespace(src_uri="devices/jet.md")))
    finally:
        adapter._STATE.pages = saved
    assert index.entries == [entry]


def test_the_theme_toggles_speak_chinese_on_chinese_pages(real_site):
    zh = (real_site / "zh" / "index.html").read_text(encoding="utf-8")
    en = (real_site / "index.html").read_text(encoding="utf-8")
    assert 'title="切换到深色模式"' in zh and 'title="切换到浅色模式"' in zh and "Dark mode" not in zh
    assert 'aria-label="Dark mode"' in en

"""What search needs from the data: a jieba user dictionary of every Chinese name, and the
names each page is found by (its keywords in the search index).

Material's search (lunr) ranks by the fields of each entry; the index's configuration can
add fields. Each entity page's entry gets ``keywords``: its names in the page's language and
in English, every alias, the forms without hyphens or spaces readers type ("jt60sa", "ht7"),
and, on Chinese pages, the same names in traditional characters (OpenCC, s2t), so a
reader in Hong Kong or Taiwan finds the simplified page. The site's own script
(assets/atlas-search.js) lists the results in the page's language first.

Material's worker matches each word as a prefix and ORs the words, so "China" also matches
"China Fusion Energy" and "UK" matches UKAEA. The page a reader names exactly comes first
all the same: ``names_script`` writes every name, alias and squashed or traditional form
of every page (normalised as ``name_key`` says; a form two pages share is left out), and
the site's script puts that page first, as Wikipedia's search goes to the page titled
what was typed.
"""

from __future__ import annotations

import functools
import json
import re

from ..core.atlas import PAGE_KINDS, Atlas

# Field boosts (Material's: title 1000, text 1, tags 1,000,000; the site has no tags otherwise).
# An entity page's own name is its one tag: of the pages a query's word matches, the one whose
# name is shortest around it comes first ("ITER" before "ITER Organization"); the other
# names readers type are its keywords.
TAGS_BOOST = 30000.0
KEYWORDS_BOOST = 60000.0
_SQUASH = re.compile(r"[\s\-_·.–/]+")
_SUP = re.compile(r"<sup\b[^>]*>.*?</sup>", re.S)


@functools.lru_cache(maxsize=1)
def _to_traditional():
    import opencc

    return opencc.OpenCC("s2t").convert


@functools.lru_cache(maxsize=1)
def _plain_jieba():
    """jieba with its own dictionary only: the words a Chinese name is made of (the site's
    user dictionary would keep each name whole)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    # The default tokenizer's own words, already loaded (loading them again takes 0.5 s).
    words, total = _pristine_words()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(words), total, True
    return tokenizer


def _words(name: str) -> list[str]:
    """A Chinese name cut into words, as a reader's query is: the search cuts what is typed
    into words the index knows, never into the whole name (Material's worker tests every
    slice but the one that ends the query)."""
    return [w for w in _plain_jieba().lcut(name) if w.strip()]


def keywords(atlas: Atlas, rid: str, lang: str) -> str:
    """The names a reader may type to find the page of ``rid`` in ``lang``, as index text."""
    rec = atlas.get(rid)
    primary = rec.name.get(lang)
    names = list(dict.fromkeys([primary, primary, rec.name.en, *rec.aliases]))
    words = []
    for name in names:
        words.append(name)
        # A designation with a number ("JT-60SA", "HT-7", "W7-X") is also typed without its
        # hyphens and spaces; a name of words is not (its squashed form would only match
        # prefix searches for its first word, and outrank the page named by that word).
        squashed = _SQUASH.sub("", name).lower()
        if squashed != name.lower() and any(ch.isdigit() for ch in name):
            words.append(squashed)
        if lang == "zh" and any("\u4e00" <= ch <= "\u9fff" for ch in name):
            parts = _words(name)
            words.extend(parts)
            traditional = [_to_traditional()(w) for w in parts]
            words.extend(t for t, w in zip(traditional, parts) if t != w)
    # Each word once: how often a page names itself is the tags' business (``tags``); here a
    # name with "ITER" three times would outrank the page called ITER.
    tokens = dict.fromkeys(t for w in words for t in re.split(r"[\s\u200b\-]+", w.lower()) if t)
    return " ".join(tokens)


def tags(atlas: Atlas, rid: str, lang: str) -> list[str]:
    """The page's own name (and, for a designation with a number, its form without hyphens and
    spaces): the strongest field, so the page named by what was typed comes first."""
    name = atlas.get(rid).name.get(lang)
    squashed = _SQUASH.sub("", name).lower()
    names = [name, squashed] if squashed != name.lower() and any(ch.isdigit() for ch in name) else [name]
    # Material's lunr has no length normalisation (b = 0): a one-word name is repeated so that
    # "ITER" ranks the page named ITER above "Project Center ITER" (three words, said once).
    words = len(re.split(r"[\s\-]+", name.strip()))
    return names * max(1, 4 - words)


def page_of_location(location: str, kinds=PAGE_KINDS) -> tuple[str, str, str] | None:
    """(kind, id, language) of an entity page's main entry ("zh/devices/iter/", "devices/iter.html")."""
    m = re.fullmatch(r"(?:(zh)/)?([a-z]+)/([a-z0-9-]+)(?:/|\.html)", location)
    if not m or m.group(2) not in kinds:
        return None
    return m.group(2), m.group(3), m.group(1) or "en"


MAX_BOOST = 1.3


def importance(atlas: Atlas, rid: str) -> float:
    """How central a record is to the atlas (the events it takes part in, the records that name
    it), as a document boost between 1 and ``MAX_BOOST``: among pages a query matches alike, the
    main subject comes first ("ITER" before US ITER)."""
    import math

    links = len(atlas.events_of.get(rid, [])) + len(atlas.referenced_by.get(rid, []))
    return round(min(MAX_BOOST, 1 + math.log(1 + links)), 2)


def index_json(value) -> str:
    """The search index's JSON: compact, and in UTF-8 rather than ``\\u`` escapes (Chinese text
    is half of it: the index is a third smaller). The two line separators stay escaped, as the
    offline editions load the index as a script."""
    text = json.dumps(value, separators=(",", ":"), default=str, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def shape_entry(atlas: Atlas, entry_json: str) -> str:
    """An index entry as readers need it: footnote markers out of the text (snippets read as
    sentences), and an entity page's names as ``keywords``."""
    entry = json.loads(entry_json)
    if "<sup" in entry.get("text", ""):
        entry["text"] = _SUP.sub("", entry["text"])
    page = page_of_location(entry.get("location", ""))
    if page and page[1] in atlas.records.get(page[0], {}):
        entry["keywords"] = keywords(atlas, page[1], page[2])
        entry["tags"] = tags(atlas, page[1], page[2])  # (not shown: assets/atlas.css)
        entry["boost"] = importance(atlas, page[1])
    return index_json(entry)


def with_keywords_field(settings: dict) -> dict:
    """The index's configuration with the ``keywords`` field (Material's worker builds its fields from it)."""
    fields = dict(settings.get("fields") or {})
    fields["tags"] = {"boost": TAGS_BOOST}
    fields["keywords"] = {"boost": KEYWORDS_BOOST}
    return {**settings, "fields": fields}


def jieba_user_dict(atlas: Atlas) -> str:
    """A jieba user dictionary of every Chinese name and alias in the data.

    Entity names become whole search tokens (卡达拉舍, 国际热核聚变实验反应堆).
    One ``word frequency`` pair a line, sorted, so the file is deterministic.
    """
    words = set()
    for kind in PAGE_KINDS:
        for rec in atlas.records[kind].values():
            for name in [rec.name.zh, *rec.aliases]:
                # (names are one line with no spaces: validation refuses line breaks; this is the last guard)
                if name and not any(ch.isspace() for ch in name) and any("\u4e00" <= ch <= "\u9fff" for ch in name):
                    words.add(name)
    return "".join(f"{w} 100000\n" for w in sorted(words))


_PRISTINE: list = []  # (words, total) of jieba's own dictionary, before any user dictionary


def reset_jieba_words() -> None:
    """Give jieba's default tokenizer back the words of its own dictionary only.

    Material's search adds the site's user dictionary each time a language's build is
    configured; adding a word jieba already has adds its frequency to the total once
    more, so under ``serve`` the segmentation of Chinese text drifts build after build,
    and a page rendered again would be indexed differently from the same page in a
    fresh build. Called before each configuration, every build starts from the same
    words: the user dictionary is then added once, as in a fresh build."""
    import jieba

    words, total = _pristine_words()
    jieba.dt.FREQ, jieba.dt.total = dict(words), total


def _pristine_words() -> tuple[dict, int]:
    """jieba's own dictionary (word -> frequency, total), loaded once: taken from the
    default tokenizer before any user dictionary is added (a build resets it first)."""
    import jieba

    if not _PRISTINE:
        jieba.dt.check_initialized()
        _PRISTINE.append((dict(jieba.dt.FREQ), jieba.dt.total))
    return _PRISTINE[0]


def index_config_text(path) -> str:
    """The head of a written search index, up to its documents: the configuration Material
    writes first (fields, languages). Read without parsing the whole index (180 MB at 100x)."""
    with open(path, encoding="utf-8", errors="ignore") as fh:
        return fh.read(4096).split('"docs"', 1)[0]


NAMES_FILE = "search/atlas-names.js"
# What a typed name and a record's name are compared by: case, width (NFKC), spaces, hyphens,
# dots, slashes and brackets do not count. atlas-search.js normalises a query with the same
# expression (keep them equal).
_KEY_DROP = re.compile(r"[\s\-_·.–—/'’()（）,，:：]+")


def name_key(name: str) -> str:
    import unicodedata

    return _KEY_DROP.sub("", unicodedata.normalize("NFKC", name).lower())


@functools.lru_cache(maxsize=1)
def _traditional_forms():
    import opencc

    return tuple(opencc.OpenCC(c).convert for c in ("s2t", "s2tw", "s2hk"))


def _keys(rec) -> set[str]:
    names = {rec.name.en, rec.name.zh, *rec.aliases} - {None, ""}
    forms = set(names)
    for name in names:
        if any("\u4e00" <= ch <= "\u9fff" for ch in name):
            forms.update(convert(name) for convert in _traditional_forms())
    return {k for k in map(name_key, forms) if k}


def names_script(atlas: Atlas, directory_urls: bool = True) -> str:
    """The script that tells atlas-search.js which page each name belongs to: the page's path,
    its titles in both languages, and every key (``name_key``) that only it answers to.
    Sorted, so the file is deterministic."""
    pages = []
    owners: dict[str, set[int]] = {}
    for kind in PAGE_KINDS:
        for rid in sorted(atlas.records[kind]):
            rec = atlas.records[kind][rid]
            for key in _keys(rec):
                owners.setdefault(key, set()).add(len(pages))
            pages.append([f"{kind}/{rid}", rec.name.en, rec.name.zh or rec.name.en])
    keys = {key: next(iter(idx)) for key, idx in sorted(owners.items()) if len(idx) == 1}
    data = {"directoryUrls": directory_urls, "pages": pages, "keys": keys}
    return ("/* Fusion Atlas: which page each name leads to (generated; macros/publish/search.py). */\n"
            f"window.__atlasNames = {json.dumps(data, ensure_ascii=False, separators=(',', ':'))};\n")

"""Editors' rules that ``make check`` applies to the whole data: ``data/rules/``.

Two files, both extendable by editors through a pull request:

- ``source-hosts.yaml``: web hosts that are mirrors or copies of Wikipedia,
  aggregators, forums, blogs or reprints. A source on such a host is refused,
  and with it every fact resting on it: cite the original.
- ``glossary-zh.yaml``: one Chinese term per concept. Each variant listed as
  refused is reported wherever Chinese text uses it (names, summaries, notes,
  prose), with the preferred term.

The files are read like records (no links, UTF-8, bounded size) and validated
by the models below; a problem names file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Iterable, Iterator, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, ValidationError

from .errors import Problem
from .loader import MAX_RECORD_BYTES, parse_text, read_input
from .model import Strict

FOLDER = "rules"  # data/rules/
HOSTS_FILE = "source-hosts.yaml"
GLOSSARY_FILE = "glossary-zh.yaml"
FILES = (HOSTS_FILE, GLOSSARY_FILE)

_HOST_RE = r"^[a-z0-9-]+(\.[a-z0-9-]+)+$"


def _nonblank(text: str) -> str:
    if not text.strip() or text != text.strip():
        raise ValueError("must not be blank or start or end with spaces")
    return text


Term = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_nonblank)]


class RefusedHost(Strict):
    host: Annotated[str, Field(pattern=_HOST_RE, max_length=253)]
    why: Literal["wikipedia-mirror", "aggregator", "forum", "blog", "reprint", "document-copy"]
    note: Annotated[str, Field(max_length=300)] | None = None


class SourceHosts(Strict):
    refused: list[RefusedHost]


class GlossaryTerm(Strict):
    concept: Annotated[str, Field(min_length=1, max_length=120)]
    preferred: Term
    allowed: list[Term] = []  # other accepted forms (a standard short form)
    refused: list[Term] = []  # variants make check refuses (none: the term is only recorded)
    note: Annotated[str, Field(max_length=1000)] | None = None


class Glossary(Strict):
    terms: list[GlossaryTerm]


@dataclass
class Rules:
    refused_hosts: dict[str, RefusedHost] = field(default_factory=dict)
    terms: list[GlossaryTerm] = field(default_factory=list)

    @cached_property
    def _by_variant(self) -> dict[str, GlossaryTerm]:
        return {v: t for t in self.terms for v in t.refused}

    @cached_property
    def _pattern(self) -> re.Pattern | None:
        """One alternation of every refused variant, longest first."""
        variants = sorted(self._by_variant, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, variants))) if variants else None

    def refused_host(self, url: str) -> tuple[str, RefusedHost] | None:
        """(host, rule) if ``url`` — or the page an archive copy keeps — is on a refused host."""
        for host in _hosts(url):
            parts = host.split(".")
            for i in range(len(parts) - 1):
                rule = self.refused_hosts.get(".".join(parts[i:]))
                if rule is not None:
                    return host, rule
        return None

    def variants(self, text: str) -> Iterator[tuple[str, GlossaryTerm]]:
        """Each refused variant used in ``text``, with its term, once per variant."""
        if self._pattern is None:
            return
        seen = set()
        for m in self._pattern.finditer(text):
            word = m.group(0)
            if word not in seen:
                seen.add(word)
                yield word, self._by_variant[word]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def archived_original(url: str) -> str | None:
    """The original URL of an Internet Archive copy (https://web.archive.org/web/<date>/<original>), or None."""
    if _host(url) not in ("web.archive.org", "archive.org"):
        return None
    m = re.search(r"/web/[^/]+/(https?:/+.*)$", url)
    return re.sub(r"^(https?:)/+", r"\1//", m.group(1)) if m else None


def _hosts(url: str) -> list[str]:
    """The URL's host and, for an archive copy, the original's hosts too."""
    original = archived_original(url)
    return [_host(url), *(_hosts(original) if original else [])]


def load_rules(data_dir: Path, root: Path) -> tuple[Rules, list[Problem]]:
    """The rules of ``data/rules/`` and the problems found in them. A missing file
    is no rule; an unknown file in the folder is a problem (a misspelt name
    would silently apply nothing)."""
    rules, problems = Rules(), []
    folder = data_dir / FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return rules, problems
    for path in sorted(folder.iterdir()):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith(".") or path.is_symlink() or path.is_dir():
            continue  # links are reported by the loader's tree walk
        if path.name not in FILES:
            problems.append(Problem(rel, 1, "", "", f"unknown rules file; data/{FOLDER}/ holds {' and '.join(FILES)}"))
    hosts = _read(folder / HOSTS_FILE, root, SourceHosts, problems)
    if hosts is not None:
        for rule in hosts.refused:
            rules.refused_hosts[rule.host] = rule
    glossary = _read(folder / GLOSSARY_FILE, root, Glossary, problems)
    if glossary is not None:
        rules.terms = glossary.terms
        problems.extend(_glossary_conflicts(glossary, (folder / GLOSSARY_FILE).relative_to(root).as_posix()))
    return rules, problems


def _read(path: Path, root: Path, model, problems: list[Problem]):
    if not path.is_file() or path.is_symlink():
        return None
    rel = path.relative_to(root).as_posix()
    text, problem = read_input(path, rel, MAX_RECORD_BYTES)
    if text is None:
        problems.extend([problem] if problem else [])
        return None
    data, lines, bad = parse_text(text, rel)
    if bad:
        problems.extend(bad)
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = next((lines[loc[:i]] for i in range(len(loc), -1, -1) if loc[:i] in lines), 1)
            problems.append(Problem(rel, line, "", ".".join(map(str, loc)), err["msg"]))
        return None


def _glossary_conflicts(glossary: Glossary, rel: str) -> list[Problem]:
    """A refused variant inside a preferred or allowed form would flag correct text."""
    problems = []
    good = [(t.concept, w) for t in glossary.terms for w in (t.preferred, *t.allowed)]
    owner: dict[str, str] = {}
    for t in glossary.terms:
        for v in t.refused:
            if v in owner and owner[v] != t.concept:
                problems.append(Problem(rel, 1, "", "terms", f"'{v}' is refused under both '{owner[v]}' and '{t.concept}'"))
            owner[v] = t.concept
            for concept, word in good:
                if v in word:
                    problems.append(Problem(rel, 1, "", "terms", f"refused '{v}' (for '{t.concept}') is part of the accepted '{word}' (for '{concept}'); it would flag correct text"))
    return problems


def chinese_texts(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path, text) of every Chinese string of a raw record: the value of a ``zh`` key."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "zh" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from chinese_texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from chinese_texts(value, (*path, i))


def glossary_problems(rules: Rules, raws: Iterable, prose: Iterable[tuple[str, str, str]]) -> list[Problem]:
    """Every refused Chinese variant in the records (``raws``) and in Chinese prose
    (``prose``: (file, record id, text)), with the preferred term."""
    if rules._pattern is None:
        return []
    problems = []
    for raw in raws:
        for path, text in chinese_texts(raw.data):
            for word, term in rules.variants(text):
                problems.append(raw.problem(path, _glossary_message(word, term)))
    for rel, rid, text in prose:
        for lineno, line in enumerate(text.splitlines(), 1):
            for word, term in rules.variants(line):
                problems.append(Problem(rel, lineno, rid, "", _glossary_message(word, term)))
    return problems


def _glossary_message(word: str, term: GlossaryTerm) -> str:
    return (f"'{word}' is not the glossary's term for {term.concept}; write '{term.preferred}'"
            f" (data/{FOLDER}/{GLOSSARY_FILE})")


_WHY = {"wikipedia-mirror": "a copy of Wikipedia", "aggregator": "an aggregator", "forum": "a forum", "blog": "a blog",
        "reprint": "a reprint site", "document-copy": "a site of copied documents"}


def host_problems(rules: Rules, atlas) -> list[Problem]:
    """Sources on a refused host, and every fact resting on them is refused with them."""
    problems = []
    for sid, src in atlas.records["sources"].items():
        hit = rules.refused_host(src.url)
        if hit is None:
            continue
        host, rule = hit
        what = _WHY[rule.why]
        problems.append(atlas.raw[sid].problem(("url",), (
            f"{host} is listed in data/{FOLDER}/{HOSTS_FILE} as {what}; cite the original publisher "
            f"(the organisation, a journal or a news outlet) or drop the facts that rest on it")))
    return problems

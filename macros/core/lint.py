"""Content lint: what a schema cannot see, but scraped or careless text brings.

Runs over the raw records (so it can name lines) and the prose files:

* mojibake (``ftfy`` decides), and the lone garbled dash of the seed texts;
* spam-style injections seen in scraped text;
* Chinese characters in English fields, and Latin-only text in Chinese ones;
* a missing Chinese name, summary or prose file (the site is bilingual);
* YAML style (``yamllint``, configured in ``.yamllint.yaml``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import ftfy.badness

from . import compat_yamllint, digest, kinds
from .errors import Problem
from .loader import RawRecord

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Strings injected into the scraped seed texts, and their family.
SPAM = re.compile(r"六合彩|澳门.{0,4}(彩|博|赌)|博彩|赌场|casino|viagra|\bbet365\b", re.IGNORECASE)
# "Energyâbetter": an em dash whose last two bytes were lost.
GARBLED_DASH = re.compile(r"(?<=[A-Za-z])â(?=[A-Za-z\u4e00-\u9fff])")
# Invisible characters that split a word without showing (soft hyphen, zero-width
# space, joiners, word joiner, BOM), removed before looking for spam.
ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# Cyrillic and Greek letters drawn like Latin ones ("саsinо"), folded to Latin
# before looking for spam (Unicode's confusables, the letters that matter here).
CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαονριυκτΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdhlqwABEKMHOPCTXIJSaovpiuktABEZHIKMNOPTYX",
)
# A word that mixes Latin letters with Cyrillic or Greek ones is a homograph, never a typo.
MIXED_SCRIPT = re.compile(r"\b(?=\w*[A-Za-z])(?=\w*[\u0370-\u03ff\u0400-\u04ff])\w+\b")


# Characters that NFKC, the zero-width removal or the folding above change (soft hyphen,
# zero-width and BOM, Greek and Cyrillic, small capitals, letter-like and enclosed
# forms, full-width forms, mathematical letters), and those the Chinese spam is made of.
DISGUISE = re.compile(
    "[\u00ad\u200b-\u200d\u2060\ufeff\u0370-\u04ff\u1d00-\u1dbf\u2070-\u209f\u2100-\u24ff"
    "\uff00-\uffef\U0001d400-\U0001d7ff彩博赌]"
)


def normalise(text: str) -> str:
    """Text as a reader sees it: NFKC (full-width and styled letters to plain), invisible
    characters removed, look-alike letters folded to Latin."""
    import unicodedata

    return unicodedata.normalize("NFKC", ZERO_WIDTH.sub("", text)).translate(CONFUSABLES)


# Real words with â inside (French names mostly); anything else is suspect.
WORDS_WITH_A_CIRCUMFLEX = {"château", "châteaux", "pâté", "théâtre", "bâtiment", "châtenay", "châtillon", "grâce"}
# Four or more Latin words in a row; possessive quantifiers keep it linear.
LATIN_WORDS = re.compile(r"(?<![A-Za-z])[A-Za-z]{3,}+(?:[\s,.;:'-]++[A-Za-z]{2,}+){3,}+")

# Kinds whose records must have a Chinese name, and prose folders.
BILINGUAL_KINDS = kinds.BILINGUAL_KINDS


def _strings(value, path=()):
    """Yield (path, lang, string) for every string inside raw data: ``lang`` is
    'en' or 'zh' inside a Text ({en, zh}), None elsewhere."""
    if isinstance(value, str):
        yield path, None, value
    elif isinstance(value, dict):
        text = "en" in value and value.keys() <= {"en", "zh"}
        for key, item in value.items():
            if text and isinstance(item, str):
                yield path + (key,), key, item
            else:
                yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, path + (i,))


def _words_at(text: str, pattern: re.Pattern) -> list[str]:
    """The whole words in which ``pattern`` matches (linear time)."""
    words = []
    for m in pattern.finditer(text):
        start = text.rfind(" ", 0, m.start()) + 1
        end = text.find(" ", m.end())
        words.append(text[start : end if end >= 0 else len(text)].strip(".,;:!?()\"'"))
    return words


def text_problems(text: str, lang: str | None) -> list[str]:
    """Problems of one string; ``lang`` is 'en', 'zh' or None (any language)."""
    out = []
    ascii_only = text.isascii()  # most strings: then no mojibake and no Chinese to look for
    if not ascii_only:
        garbled = [w for w in _words_at(text, GARBLED_DASH) if w.lower() not in WORDS_WITH_A_CIRCUMFLEX]
        if ftfy.badness.is_bad(text) or garbled:
            fixed = ftfy.fix_text(text)
            hint = f" (perhaps: {fixed[:60]!r})" if fixed != text else ""
            out.append(f"looks like mojibake (text decoded with the wrong encoding){hint}; retype the characters")
    # Spam spelled to dodge the filter is found too: text that holds invisible, look-alike
    # or compatibility characters (or a character of the Chinese spam) is read normalised.
    plain = text if ascii_only or not DISGUISE.search(text) else normalise(text)
    folded = plain.casefold()  # every match of SPAM holds one of these: looking first is 8x faster
    maybe = "casino" in folded or "viagra" in folded or "bet365" in folded
    maybe = maybe or (not ascii_only and ("彩" in plain or "博" in plain or "赌" in plain))
    m = SPAM.search(plain) if maybe else None
    if m:
        out.append(f"contains the spam string {m.group(0)!r}; scraped text must be rewritten, not pasted")
    if not ascii_only and lang != "zh" and (mixed := MIXED_SCRIPT.search(text)):
        out.append(f"the word {mixed.group(0)!r} mixes Latin with Cyrillic or Greek letters that look alike; retype it")
    has_cjk = not ascii_only and CJK.search(text)
    if lang == "en" and has_cjk:
        out.append("Chinese characters in an English field; put Chinese text in the zh field")
    if lang == "zh" and text and not has_cjk and LATIN_WORDS.search(text):
        out.append("English text in a Chinese field; translate it (names and acronyms alone are fine)")
    return out


def lint_record(raw: RawRecord) -> list[Problem]:
    problems = []

    def add(path, message):
        problems.append(Problem(raw.file, raw.line_of(path), raw.id, ".".join(map(str, path)), message))

    for path, lang, text in _strings(raw.data):
        for message in text_problems(text, lang):
            add(path, message)
    if raw.kind in BILINGUAL_KINDS:
        name = raw.data.get("name")
        if isinstance(name, dict) and isinstance(name.get("en"), str) and not name.get("zh"):
            add(("name",), "needs a Chinese name (zh): use the established Chinese name")
        summary = raw.data.get("summary")
        if isinstance(summary, dict) and summary.get("en") and not summary.get("zh"):
            add(("summary",), "needs a Chinese summary (zh)")
    return problems


RAW_HTML = re.compile(r"<(?=[A-Za-z/!?])")
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# An image whose address has a scheme or starts with // (inline or a reference definition).
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([a-z][a-z0-9+.-]*:|//)", re.I)
INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)")
ATTRIBUTE_LIST = re.compile(r"\{:?\s*[#.:]?[\w-]+\s*=|\{:\s|\{\s*[#.][\w-]")


def lint_prose(text: str, rel: str, rid: str, lang: str) -> list[Problem]:
    """Problems of one prose file, by line. What the sanitiser would remove is
    reported too, so nothing is dropped from a page without the editor knowing."""
    from .sanitise import removed

    problems = []
    flagged: set[int] = set()
    in_fence = False
    lines = text.splitlines()

    def add(lineno: int, message: str) -> None:
        flagged.add(lineno)
        problems.append(Problem(rel, lineno, rid, "", message))

    for lineno, line in enumerate(lines, 1):
        if line.startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence or not line.strip():
            continue
        bare = CODE_SPAN.sub("", line) if "`" in line else line
        if RAW_HTML.search(bare):
            add(lineno, "raw HTML is not allowed in prose; write Markdown (and write < as &lt;)")
        if REMOTE_IMAGE.search(line):
            add(lineno, "images must be files shipped with the site, not loaded from another host")
        definition = REFERENCE_DEFINITION.match(line)
        for target in [definition.group(1)] if definition else INLINE_LINK.findall(line):
            scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", target)
            if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                add(lineno, f"links may be http(s), mailto or a page's .md file, not {scheme.group(1)}:")
                break
        if ATTRIBUTE_LIST.search(bare):
            add(lineno, "attribute lists ({: ... }) are not allowed in prose: text cannot set classes, styles or handlers")
        plain = re.sub(r"\]\([^)]*\)", "]", line)  # link targets are not prose
        for message in text_problems(plain, lang):
            add(lineno, message)
    for needle, message in removed(text):
        needle = needle.lower()
        lineno = next((i for i, line in enumerate(lines, 1) if needle in html.unescape(line).lower()), 1)
        if lineno not in flagged:
            add(lineno, message)
    return problems


JINJA = re.compile(r"\{\{|\{%|\{#")
BLOCK_CALL = re.compile(r"^\{\{ ([a-z_]+)\(\) \}\}$")
JINJA_COMMENT = re.compile(r"^\{# [^{}%#]* #\}$")  # inert: a marker such as make bench's
# A heading may fix its anchor (the Chinese page's "## 许可 { #licences }" keeps the English
# page's address): an id only, which sets no class, style or handler.
HEADING_ID = re.compile(r"^#{2,6} [^{}<>]+ \{ #[a-z][a-z0-9-]* \}$")


def lint_docs(docs: Path, root: Path, blocks: set[str], generated: dict[str, set[str]] | None = None) -> list[Problem]:
    """The hand-written pages of docs/: mkdocs-macros runs their Jinja at build time, with
    the whole build's power, so a page may only call a block, alone on its line
    (``{{ devices_table() }}``); and, like prose, hold no raw HTML.

    ``blocks``: the names of the blocks a page may call (rendering's registry).
    ``generated``: kind -> ids of its records; their pages in docs/<kind>/ are
    generated (rewritten by every build, which refuses to write over a
    hand-written one), so they are not read here.
    """
    from .loader import MAX_PROSE_BYTES, read_input

    problems: list[Problem] = []
    if not docs.is_dir() or docs.is_symlink():
        return problems
    for path in _pages(docs, generated or {}):
        rel = path.relative_to(root).as_posix()
        page = path.name.split(".", 1)[0]
        text, problem = read_input(path, rel, MAX_PROSE_BYTES)
        if text is None:
            problems.extend([problem] if problem else [])
            continue
        in_fence = False
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.startswith(("```", "~~~")):
                in_fence = not in_fence
            if JINJA.search(line):
                if JINJA_COMMENT.match(line.strip()):
                    continue
                call = BLOCK_CALL.match(line.strip())
                if not call or call.group(1) not in blocks:
                    problems.append(Problem(rel, lineno, page, "", (
                        "a page may only call a block, alone on its line, e.g. {{ devices_table() }}; blocks are: "
                        + ", ".join(sorted(blocks)) + " (other Jinja would run at build time)")))
                continue
            if not in_fence and HEADING_ID.match(line):
                continue
            if not in_fence and (RAW_HTML.search(CODE_SPAN.sub("", line)) or ATTRIBUTE_LIST.search(CODE_SPAN.sub("", line))):
                problems.append(Problem(rel, lineno, page, "", "raw HTML and attribute lists are not allowed in pages; write Markdown, or add a block"))
    return problems


def _pages(docs: Path, generated: dict[str, set[str]]) -> list[Path]:
    """The hand-written Markdown pages under ``docs``: not the generated pages of records,
    nor a generated page of a removed record (the next build deletes it)."""
    from .loader import is_generated, regular_files

    return [path for path in regular_files(docs, ".md")
            if path.name.split(".", 1)[0] not in generated.get(path.parent.name, ()) and not is_generated(path)]


def missing_translations(prose_files: dict[tuple[str, str, str], str]) -> list[Problem]:
    """Every prose file exists in both languages."""
    problems = []
    for (kind, rid, lang), rel in sorted(prose_files.items()):
        other = "zh" if lang == "en" else "en"
        if (kind, rid, other) not in prose_files:
            want = f"prose/{kind}/{rid}{'.zh' if other == 'zh' else ''}.md"
            problems.append(Problem(rel, 1, rid, "", f"has no {'Chinese' if other == 'zh' else 'English'} version; write {want}"))
    return problems


class YamlStyle:
    """yamllint over the data files, started while they are still being read.

    yamllint is pure Python (half a millisecond a file), so results are cached
    by file content and configuration in ``cache``, and when more than
    ``_POOL_MIN`` files may need it, forked processes (one per core) lint
    chunks of files as ``add`` receives them, while the caller goes on reading
    and then loads the data. ``finish`` waits for them and returns the problems.
    """

    _POOL_MIN = 200
    _CHUNK = 64

    def __init__(self, root: Path, cache: Path | None = None, expected: int = 0, enabled: bool = True):
        import json

        self.root, self.cache = root, cache
        config_file = root / ".yamllint.yaml"
        self.enabled = enabled and config_file.is_file()
        self.config_text = config_file.read_text(encoding="utf-8") if self.enabled else ""
        self.salt = digest.key(self.config_text, digest.code_digest(), digest.versions("yamllint")) if self.enabled else ""
        self.known: dict = {}
        if self.enabled and cache and cache.is_file():
            try:
                self.known = json.loads(cache.read_text(encoding="utf-8"))
            except ValueError:
                self.known = {}
        self.keys: dict[Path, str] = {}  # every file added -> key of its text
        self.todo: list[tuple[str, str, str]] = []  # (key, text, name) of files not in the cache, not yet sent
        self.pending: list = []  # futures: [(key, problems)] of each chunk sent
        self.pool = None
        self.parallel = expected > self._POOL_MIN

    def add(self, path: Path, text: str) -> None:
        import hashlib

        if not self.enabled:
            return
        key = self.keys[path] = hashlib.sha1((self.salt + text).encode("utf-8")).hexdigest()
        if key not in self.known:
            self.todo.append((key, text, str(path)))
            if self.parallel and len(self.todo) >= self._CHUNK:
                self._send()

    def _send(self) -> None:
        if self.pool is None:
            from .processes import forked_pool

            self.pool = forked_pool()
        self.pending.append(self.pool.submit(_lint_chunk, self.config_text, self.todo))
        self.todo = []

    def finish(self) -> list[Problem]:
        import json

        if not self.enabled:
            return []
        found = _lint_chunk(self.config_text, self.todo)  # the last files, here
        if self.pool is not None:
            with self.pool:
                for future in self.pending:
                    found += future.result()
        self.known.update(found)
        if self.cache and found:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            used = set(self.keys.values())
            self.cache.write_text(json.dumps({k: v for k, v in self.known.items() if k in used}), encoding="utf-8")
        problems = []
        for path, key in self.keys.items():
            rel = path.relative_to(self.root).as_posix()
            for line, rule, desc in self.known[key]:
                problems.append(Problem(rel, line, path.stem, "", f"YAML style ({rule}): {desc}"))
        return problems


_CONFIGS: dict = {}


def _lint_chunk(config_text: str, files: list[tuple[str, str, str]]) -> list[tuple[str, list]]:
    """(key, [(line, rule, message)]) of each (key, text, file name); syntax errors are left to the loader."""
    from yamllint.config import YamlLintConfig

    config = _CONFIGS.get(config_text)
    if config is None:
        config = _CONFIGS[config_text] = YamlLintConfig(content=config_text)
    return [(key, [(p.line, p.rule, p.desc) for p in style_problems(text, config, name)]) for key, text, name in files]


def style_problems(text: str, config, name: str, fast: bool = True) -> list:
    """yamllint's problems in ``text``, except its syntax check.

    Runs yamllint's own rules (``get_cosmetic_problems``) without the second,
    pure-Python parse of the file that yamllint makes only to find syntax
    errors, which the loader reports anyway. With ``fast``, the tokens come
    from libyaml (``compat_yamllint``) instead of PyYAML's pure-Python scanner.
    """
    from yamllint import linter

    if re.match(r"^#\s*yamllint disable-file\s*$", text.split("\n", 1)[0]):
        return []
    with compat_yamllint.libyaml_tokens(fast):
        return _cosmetic(linter, text, config, name)


def _cosmetic(linter, text: str, config, name: str) -> list:
    import yaml

    try:
        return list(linter.get_cosmetic_problems(text, config, name))
    except yaml.YAMLError:  # characters YAML refuses: the loader reports the file
        return []
    except (TypeError, ValueError, IndexError, AttributeError, AssertionError):
        # yamllint's rules assume a stream that parses; on one that does not (a stray
        # ']' first, found by the mutation tests) some raise. The loader reports the file.
        return []

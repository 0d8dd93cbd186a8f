"""Load YAML record files into plain Python data, keeping line numbers.

This is the first stage of load -> validate -> model -> render -> adapter.
It knows nothing about MkDocs or about what the records mean; it only turns
``data/<kind>/<id>.yaml`` into ``RawRecord`` objects and reports, with file
and line, every file that is not acceptable YAML for this project:

* syntax errors;
* duplicate keys (PyYAML silently keeps the last one; we refuse it);
* anchors and aliases (refused: they are the "billion laughs" vector and
  never needed for one-record-per-file data);
* explicit tags such as ``!!python/object`` (refused: data is plain data);
* empty files and files whose top level is not a mapping.

Scalars are built with PyYAML's safe constructors, except timestamps, which
are kept as the text written (dates are validated later, and partial dates
such as ``1983-06`` are normal in history).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml is much faster; fall back to pure Python if absent.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

_constructor = yaml.constructor.SafeConstructor()
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Path_ = tuple  # a path inside a record, e.g. ("parameters", "major_radius", "value")


@dataclass
class RawRecord:
    """One record file, parsed but not yet validated."""

    kind: str
    id: str
    file: str  # path relative to the project root, for messages
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)
    digest: str = ""  # hash of the file's text: changes when the file does

    def problem(self, path: tuple, message: str) -> Problem:
        """A problem at ``path`` of this record, named by file, line and field."""
        return Problem(self.file, self.line_of(path), self.id, ".".join(map(str, path)), message)

    def release(self) -> None:
        """Drop the parsed data and line map once the record is validated (memory at scale)."""
        self.data, self.lines = {}, {}

    def line_of(self, path: tuple) -> int:
        """Line of ``path`` in the file, or of its nearest parent that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    def __init__(self, line: int, message: str, path: tuple = ()):
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path


def _build(node: yaml.Node, path: tuple, lines: dict, seen: set[int]) -> Any:
    """Turn a composed node into Python data, recording the line of every path."""
    lines[path] = node.start_mark.line + 1
    if id(node) in seen:
        raise _Refused(node.start_mark.line + 1, "anchors and aliases (&name, *name) are not allowed in data files", path)
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        raise _Refused(
            node.start_mark.line + 1,
            f"the YAML tag {node.tag!r} is not allowed; write plain values (quote text that looks special)",
            path,
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(key_node.start_mark.line + 1, "keys must be plain text", path)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(key_node.start_mark.line + 1, "merge keys (<<) are not allowed in data files", path)
            key = key_node.value
            key_path = path + (key,)
            key_line = key_node.start_mark.line + 1
            if key in out:
                raise _Refused(
                    key_line, f"duplicate key {key!r} (first at line {lines[key_path]}); each key may appear once", key_path
                )
            if id(value_node) in seen:  # an alias: name the line that uses it, not the anchor's
                raise _Refused(key_line, "anchors and aliases (&name, *name) are not allowed in data files", key_path)
            out[key] = _build(value_node, key_path, lines, seen)
            lines[key_path] = key_line  # the key's own line is the useful one to report for this field
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, seen) for i, item in enumerate(node.value)]
    # Scalar.
    if node.tag == "tag:yaml.org,2002:str" or node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # text, and dates kept as written
    return _constructor.construct_object(node, deep=True)


def parse_text(text: str, file: str) -> tuple[dict | None, dict, list[Problem]]:
    """Parse one file's text. Returns (data, line map, problems)."""
    lines: dict = {}
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") or ln.strip() == "---" for ln in text.splitlines()
    ):
        return None, lines, [Problem(file, 1, "", "", "the file is empty; it must hold one record (a mapping of fields)")]
    deep = _too_deep(text)
    if deep:
        return None, lines, [Problem(file, deep, "", "", f"the data nests more than {MAX_DEPTH} levels deep; records are flat mappings of fields", True)]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        ctx = f" ({exc.context})" if exc.context else ""
        return None, lines, [Problem(file, line, "", "", f"YAML syntax error: {what}{ctx}")]
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        return None, lines, [Problem(file, 1, "", "", f"YAML error: {exc}; a data file holds exactly one record")]
    if node is None:
        return None, lines, [Problem(file, 1, "", "", "the file is empty; it must hold one record (a mapping of fields)")]
    if not isinstance(node, yaml.MappingNode):
        return None, lines, [
            Problem(file, node.start_mark.line + 1, "", "", "the top level must be a mapping of fields (key: value)")
        ]
    try:
        data = _build(node, (), lines, set())
    except _Refused as exc:
        field_name = ".".join(str(p) for p in exc.path)
        return None, lines, [Problem(file, exc.line, "", field_name, exc.message)]
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        return None, lines, [Problem(file, mark.line + 1 if mark else 1, "", "", f"bad value: {exc.problem}")]
    return data, lines, []


def _too_deep(text: str) -> int:
    """The line where the nesting of ``text`` passes ``MAX_DEPTH``, or 0.

    The YAML composer recurses once per level (in C with libyaml: a deep file
    crashes the process), so depth is measured first, on the scanner's tokens,
    which come one after the other. Most files are shallow at a glance.
    """
    if text.count("[") + text.count("{") < MAX_DEPTH and "\n" + " " * (2 * MAX_DEPTH) not in text:
        return 0
    depth = 0
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    return token.start_mark.line + 1
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return 0  # the parser reports it
    return 0


_OPENING = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSING = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


# --------------------------------------------------------------------------
# Files: only regular files inside the repository are ever read
# --------------------------------------------------------------------------

# Untrusted input lives in these folders: a pull request may put anything there.
INPUT_FOLDERS = ("data", "prose", "docs")
MAX_RECORD_BYTES = 1_000_000  # a record file (the largest today is about 12 KB)
MAX_PROSE_BYTES = 200_000  # a prose file (the longest today is about 6 KB)
MAX_DEPTH = 24  # nesting of mappings and lists in a record (real records nest 5 deep)


# The first lines of every page generated from data/ (see publish/stubs.py): the mark that
# tells a generated page, which the build may rewrite or delete, from a hand-written one.
GENERATED_MARKER = "---\n# generated by Fusion Atlas from data/"
_OLD_MARKERS = ("---\n# generated by macros/pages.py from data/",)  # before the layered package


def is_generated(path: Path) -> bool:
    """True for a regular file that starts with the generated-page marker."""
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, encoding="utf-8", errors="replace") as fh:
        return fh.read(64).startswith((GENERATED_MARKER, *_OLD_MARKERS))


def tree_problems(root: Path, folders: tuple[str, ...] = INPUT_FOLDERS) -> list[Problem]:
    """Every symbolic link and special file under ``folders``, refused.

    A link could publish any file the build can read (``.git/config``,
    ``/proc/self/environ``): nothing behind one is ever read, and each is one
    problem naming its path. Folders are walked without following links (the
    entries' types come with the listing: no call per file).
    """
    problems: list[Problem] = []
    for name in folders:
        top = root / name
        if top.is_symlink():
            problems.append(_link_problem(top, name))
        elif top.is_dir():
            _walk(top, name, problems)
    return problems


def _walk(folder: Path, rel: str, problems: list[Problem]) -> None:
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: e.name)
    for entry in entries:
        here = f"{rel}/{entry.name}"
        if entry.is_symlink():
            problems.append(_link_problem(Path(entry.path), here))
        elif entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _walk(Path(entry.path), here, problems)
        elif not entry.is_file(follow_symlinks=False):
            problems.append(Problem(here, 1, _stem(entry.name), "", "is not a regular file; commit plain files only", True))


def regular_files(folder: Path, suffix: str) -> list[Path]:
    """The regular files under ``folder`` whose names end in ``suffix``, by path; no link is
    followed or listed (``tree_problems`` reports them)."""
    found: list[Path] = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                found += regular_files(Path(entry.path), suffix)
            elif entry.name.endswith(suffix) and entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return sorted(found, key=lambda p: p.parts)


def _stem(name: str) -> str:
    return name.split(".", 1)[0]


def _link_problem(path: Path, rel: str) -> Problem:
    try:
        target = os.readlink(path)
    except OSError:  # pragma: no cover - raced away
        target = "?"
    return Problem(rel, 1, _stem(path.name), "",
                   f"is a symbolic link (to {target!r}); links are not allowed in data/, prose/ or docs/: commit the file itself",
                   True)


def read_input(path: Path, rel: str, limit: int) -> tuple[str | None, Problem | None]:
    """The text of one regular input file, or the one problem that stops it being read.

    Opened with O_NOFOLLOW and checked on the open file: a link put in its place
    meanwhile is not followed either (tree_problems reports links)."""
    record = _stem(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, None  # a link: reported by tree_problems
        return None, Problem(rel, 1, record, "", f"the file cannot be read ({exc.strerror})", True)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, None  # reported by tree_problems
        if info.st_size > limit:
            return None, Problem(rel, 1, record, "", f"the file is {info.st_size:,} bytes; at most {limit:,} are allowed", True)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)  # (a file that grew since fstat is still bounded)
        if len(data) > limit:
            return None, Problem(rel, 1, record, "", f"the file is over {limit:,} bytes; at most {limit:,} are allowed", True)
    except OSError as exc:
        return None, Problem(rel, 1, record, "", f"the file cannot be read ({exc.strerror})", True)
    finally:
        os.close(fd)
    if b"\0" in data:
        return None, Problem(rel, 1, record, "", "the file is binary (it holds NUL bytes); data and prose are UTF-8 text", True)
    if data.startswith(b"\xef\xbb\xbf"):
        return None, Problem(rel, 1, record, "", "the file starts with a byte-order mark; save it as UTF-8 without BOM", True)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Problem(rel, line, record, "", f"the file is not valid UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8", True)


def record_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The record files of one kind's folder, by name, and the entries refused
    (path, reason): a name ending in .yml or .YAML, a folder named like a file.
    Links and hidden or template files (``_template.yaml``) are left out."""
    files, refused = [], []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if name.startswith((".", "_")) or entry.is_symlink():
                continue
            suffix = os.path.splitext(name)[1]
            if suffix.lower() not in (".yaml", ".yml"):
                continue
            if entry.is_dir(follow_symlinks=False):
                refused.append((Path(entry.path), "is a folder; a record is one file, data/<kind>/<id>.yaml"))
            elif suffix != ".yaml":
                refused.append((Path(entry.path), f"data files must end in .yaml, not {suffix}"))
            elif entry.is_file(follow_symlinks=False):
                files.append(Path(entry.path))
    return files, refused


def load_kind_dir(root: Path, kind: str, base: Path, texts: dict[Path, str] | None = None,
                  listings: dict[Path, tuple] | None = None) -> tuple[list[RawRecord], list[Problem]]:
    """Load every ``*.yaml`` file of one kind, sorted by file name (``texts``: files the
    caller has read already; ``listings``: folder -> ``record_files(folder)``, if listed)."""
    records: list[RawRecord] = []
    problems: list[Problem] = []
    folder = root / kind
    if not folder.is_dir() or folder.is_symlink():
        return records, problems
    prefix = _rel(folder, base)
    files, refused = listings[folder] if listings and folder in listings else record_files(folder)
    for path, reason in refused:
        problems.append(Problem(f"{prefix}/{path.name}", 1, _stem(path.name), "", reason, True))
    for path in files:
        rel = f"{prefix}/{path.name}"
        if texts and path in texts:
            text = texts[path]
        else:
            text, problem = read_input(path, rel, MAX_RECORD_BYTES)
            if text is None:
                problems.extend([problem] if problem else [])
                continue
        data, lines, found = parse_text(text, rel)
        for p in found:  # (only a file that did not parse has problems here)
            p.record, p.whole_file = path.stem, True
        problems.extend(found)
        if data is not None:
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
            records.append(RawRecord(kind=kind, id=path.stem, file=rel, data=data, lines=lines, digest=digest))
    return records, problems


def _rel(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

"""Validate raw records into models and index them: the Atlas.

``load_atlas(project_root)`` is the one entry point: it loads ``data/`` and
``prose/``, validates everything, and either returns an ``Atlas`` with every
index the renderers need (computed once), or raises ``DataError`` listing
every problem found, each with file, line, record and field.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import gc
import hashlib
import html
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import get_args, get_origin
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from . import lint, rules
from .errors import DataError, Problem
from .loader import (MAX_PROSE_BYTES, MAX_RECORD_BYTES, RawRecord, load_kind_dir, read_input, record_files,
                     regular_files, tree_problems)
from . import kinds
from .model import (COST, KINDS, METRIC_QUANTITIES, PARAMETER_QUANTITIES, SHARE, DatedFact, Device, Era, Event, Fact, Member,
                    Ref, Source, Strict)
from .refs import iter_refs

LANGS = ("en", "zh")
KIND_ORDER = kinds.ORDER  # (names kept for the modules that import them from here)
PAGE_KINDS = kinds.PAGE_KINDS
SINGULAR = kinds.SINGULAR


@functools.lru_cache(maxsize=None)
def date_key(date: str) -> tuple[int, int, int]:
    """Sort key for a partial date: "1983" sorts before "1983-01" (memoised: dates repeat)."""
    parts = [int(p) for p in date.split("-")]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


@dataclass
class Atlas:
    records: dict[str, dict[str, object]]  # kind -> id -> model (sorted by id)
    raw: dict[str, RawRecord]  # id -> raw record (file and lines)
    kind_of: dict[str, str]  # id -> kind
    prose: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (kind, id, lang) -> Markdown
    prose_files: dict[tuple[str, str, str], str] = field(default_factory=dict)
    referenced_by: dict[str, list[str]] = field(default_factory=dict)  # id -> ids of entities linking to it
    events_of: dict[str, list[Event]] = field(default_factory=dict)  # entity id -> events, by date
    era_of_event: dict[str, str] = field(default_factory=dict)
    successors: dict[str, list[str]] = field(default_factory=dict)
    devices_of_member: dict[str, list[str]] = field(default_factory=dict)
    devices_at_site: dict[str, list[str]] = field(default_factory=dict)
    cited_by: dict[str, list[str]] = field(default_factory=dict)  # source id -> record ids
    # (kind, field) -> target id -> ids of the records of that kind whose field names it
    inverse: dict[tuple[str, str], dict[str, list[str]]] = field(default_factory=dict)
    # id -> kind of the data files that could not be read (a YAML error): references to
    # them are not reported too, so one broken file gives one problem, not one per referrer
    unread: dict[str, str] = field(default_factory=dict)
    root: Path | None = None  # the project folder it was loaded from

    @functools.cached_property
    def data_date(self) -> str:
        """The date of the data: the latest day a source was read."""
        return max((s.accessed for s in self.all("sources")), key=date_key, default="")

    @functools.cached_property
    def version(self) -> str:
        """The version being built (pyproject.toml's), which names the release and its citation."""
        import tomllib

        path = (self.root or Path(".")) / "pyproject.toml"
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return ""

    def digest(self, *kinds: str) -> str:
        """A hash of the files of ``kinds``: changes when any of them does (keys caches)."""
        parts = sorted(r.digest for r in self.raw.values() if r.kind in kinds)
        return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()

    def those_with(self, kind: str, field_name: str, target: str) -> list[str]:
        """Ids of the ``kind`` records whose ``field_name`` is ``target`` (an index, not a scan)."""
        return self.inverse.get((kind, field_name), {}).get(target, [])

    def get(self, id_: str):
        return self.records[self.kind_of[id_]][id_]

    def all(self, kind: str) -> list:
        return list(self.records.get(kind, {}).values())

    def events(self) -> list[Event]:
        return sorted(self.all("events"), key=lambda e: (date_key(e.date.date), e.id))

    def eras(self) -> list[Era]:
        return sorted(self.all("eras"), key=lambda e: (date_key(e.start), e.id))


# --------------------------------------------------------------------------
# Pydantic errors -> problems phrased as rules
# --------------------------------------------------------------------------


def _message(err: dict, model_fields: list[str] | None) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        valid = ", ".join(model_fields or [])
        return f"unknown field; valid fields here are: {valid}"
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '').replace(chr(39), '')}"
    if kind in ("string_type",):
        return f"must be text, not {type(err.get('input')).__name__}"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return f"must be a number, not {err.get('input')!r}"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("list_type",):
        return "must be a list (one '- item' per line)"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be a mapping of fields (key: value)"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if "a-z0-9" in pattern:
            return "must be an id: lower-case letters, digits and single hyphens (e.g. jt-60sa)"
        if "https?" in pattern:
            return "must be a web address starting with http:// or https://, with no spaces"
        return f"does not match the pattern {pattern}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is {len(err.get('input') or '')} characters long; at most {ctx.get('max_length')} are allowed here"
    if kind == "finite_number":
        return "must be a finite number (not .nan or .inf)"
    if kind == "too_short":
        return f"must list at least {ctx.get('min_length', 1)} item(s)"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return err["msg"].replace("Input should be", "must be")
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return err["msg"]


def _fields_at(model_cls, loc: tuple) -> list[str] | None:
    """The valid field names of the model found at ``loc`` (for messages)."""
    from typing import get_args

    current = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            break
        ann = info.annotation
        candidates = [ann, *get_args(ann)]
        nxt = None
        for c in candidates:
            for cc in (c, *get_args(c)):
                if isinstance(cc, type) and hasattr(cc, "model_fields"):
                    nxt = cc
                    break
            if nxt:
                break
        if nxt is None:
            break
        current = nxt
    return list(getattr(current, "model_fields", {}))


def _problems_from_validation(raw: RawRecord, exc: ValidationError, model_cls) -> list[Problem]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        # Union members add their class name to the location; drop those.
        loc = tuple(p for p in loc if isinstance(p, int) or not p[:1].isupper())
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        fields = _fields_at(model_cls, loc[:-1]) if err["type"] == "extra_forbidden" else None
        out.append(raw.problem(loc, _message(err, fields)))
    return out


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def _closest(value: str, options) -> str:
    match = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def load_atlas(root: Path | str, data_dir: str = "data", prose_dir: str = "prose",
               texts: dict[Path, str] | None = None, index: bool = True, blocks: Iterable[str] | None = None,
               listings: dict[Path, tuple] | None = None) -> Atlas:
    """Load, validate and index the data (``texts``: files the caller has read
    already; ``index=False``: only validate, as ``check`` does; ``blocks``: the
    names of the blocks pages may call, to check the hand-written pages of docs/
    too, as a build and ``make check`` do).

    Python's cycle collector is paused meanwhile: loading makes millions of
    objects that all stay alive, and the collector would scan them again and
    again (a third of the time at 100x the data).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_atlas(Path(root), data_dir, prose_dir, texts, index, blocks, listings)
    finally:
        if paused:
            gc.enable()


def _load_atlas(root: Path, data_dir: str, prose_dir: str, texts: dict[Path, str] | None, index: bool,
                blocks: Iterable[str] | None, listings: dict[Path, tuple] | None = None) -> Atlas:
    problems: list[Problem] = []
    unread: dict[str, str] = {}
    unread_problems: list[Problem] = []  # one per data file that could not be read
    problems.extend(tree_problems(root, (data_dir, prose_dir, "docs")))
    editors_rules, rule_problems = rules.load_rules(root / data_dir, root)
    problems.extend(rule_problems)
    records: dict[str, dict[str, object]] = {k: {} for k in KIND_ORDER}
    raw_by_id: dict[str, RawRecord] = {}
    kind_of: dict[str, str] = {}
    references = _References(raw_by_id)
    for kind in KIND_ORDER:
        found, bad = load_kind_dir(root / data_dir, kind, root, texts, listings)
        problems.extend(bad)
        for p in bad:
            if p.record and p.record not in unread:
                unread[p.record] = kind
                unread_problems.append(p)
        # Each record is checked on its own as soon as it is read, and its parsed data then
        # dropped: the models hold what is kept. (Holding every parsed file until all were read
        # left the data at 100x taking 1,055 MiB once loaded, against 861 MiB so.)
        for raw in found:
            model = _validate(raw, problems)
            if raw.id in raw_by_id:
                first = raw_by_id[raw.id]
                problems.append(raw.problem(("id",), f"id '{raw.id}' is already used by {first.file}; ids must be unique across all kinds"))
                continue
            raw_by_id[raw.id] = raw
            if model is not None:
                records[raw.kind][raw.id] = model
                kind_of[raw.id] = raw.kind
            references.read(raw, problems)
            problems.extend(rules.glossary_problems(editors_rules, [raw], ()))
            problems.extend(lint.lint_record(raw))
            raw.data = {}  # (its line map stays until the references are checked)
    unknown = sorted(
        p.name
        for p in (root / data_dir).iterdir()
        if p.is_dir() and not p.is_symlink() and p.name not in KINDS and p.name != rules.FOLDER and not p.name.startswith((".", "_"))
    ) if (root / data_dir).is_dir() else []
    for name in unknown:
        problems.append(
            Problem(f"{data_dir}/{name}", 1, "", "", f"unknown kind of data; folders may be: {', '.join(KIND_ORDER)}")
        )

    atlas = Atlas(records=records, raw=raw_by_id, kind_of=kind_of, unread=unread, root=root)
    unread_texts = [(root / p.file).read_text(encoding="utf-8", errors="replace") for p in unread_problems
                    if (root / p.file).is_file() and not (root / p.file).is_symlink()]
    problems.extend(references.check(atlas, unread_texts))
    problems.extend(_check_rules(atlas))
    problems.extend(_reserved_ids(atlas, root))
    problems.extend(_load_prose(atlas, root / prose_dir, root))
    problems.extend(rules.host_problems(editors_rules, atlas))
    chinese_prose = [(atlas.prose_files[key], key[1], text) for key, text in atlas.prose.items() if key[2] == "zh"]
    problems.extend(rules.glossary_problems(editors_rules, (), chinese_prose))
    problems.extend(lint.missing_translations(atlas.prose_files))
    if blocks is not None:
        generated = {kind: set(atlas.records[kind]) for kind in PAGE_KINDS}
        problems.extend(lint.lint_docs(root / "docs", root, set(blocks), generated))
    if problems:
        raise DataError(problems)
    if index:
        _index(atlas)
    for raw in raw_by_id.values():
        raw.release()  # valid: the models hold the data now, and no message will need a line
    return atlas


def _validate(raw: RawRecord, problems: list[Problem]):
    """The model of one record, or None (its problems added to ``problems``)."""
    model_cls = KINDS[raw.kind]
    try:
        model = model_cls.model_validate(raw.data)
    except ValidationError as exc:
        problems.extend(_problems_from_validation(raw, exc, model_cls))
        model = None
    declared = raw.data.get("id")
    if isinstance(declared, str) and declared != raw.id:
        problems.append(raw.problem(("id",), f"id '{declared}' differs from the file name; the id must equal the file name ('{raw.id}')"))
        model = None
    return model


class _References:
    """The references records make to one another, read from each record's data as it is
    loaded (even a record that has other problems, so every problem is reported at once).

    A reference to a record already read is checked at once: its kind is known for good (the
    first file with an id keeps it). The others wait for every file to be read (``check``)."""

    def __init__(self, raw_by_id: dict[str, RawRecord]):
        self.raw_by_id = raw_by_id
        self.waiting: list[tuple[RawRecord, tuple, object, str]] = []
        self.cited: set[str] = set()

    def read(self, raw: RawRecord, problems: list[Problem]) -> None:
        for path, ref, target in iter_refs(raw.data, KINDS[raw.kind]):
            if not isinstance(target, str):
                continue  # a wrong type is reported by the model
            known = self.raw_by_id.get(target)
            if known is None:
                self.waiting.append((raw, path, ref, target))
            else:
                problems.extend(self._problems(raw, path, ref, target, known.kind, None))

    def check(self, atlas: Atlas, unread_texts: list[str]) -> list[Problem]:
        problems: list[Problem] = []
        for raw, path, ref, target in self.waiting:
            problems.extend(self._problems(raw, path, ref, target, _file_kind(atlas, target), atlas))
        self.waiting = []
        for sid in atlas.records["sources"]:
            if sid not in self.cited and not any(sid in text for text in unread_texts):  # (an unread file may cite it)
                raw = atlas.raw[sid]
                problems.append(
                    Problem(raw.file, 1, sid, "", "this source is not cited by any record; cite it or remove the file")
                )
        return problems

    def _problems(self, raw: RawRecord, path: tuple, ref, target: str, target_kind: str | None,
                  atlas: Atlas | None) -> list[Problem]:
        if target_kind in ref.kinds:
            if target_kind == "sources":
                self.cited.add(target)
            if target == raw.id and raw.kind != "sources":
                return [raw.problem(path, "a record cannot refer to itself")]
            return []
        wanted = " or ".join(SINGULAR[k] for k in ref.kinds)
        if target_kind is None:  # (only once every file is read: ``atlas`` is given)
            options = [i for i, k in atlas.kind_of.items() if k in ref.kinds]
            msg = f"unknown {wanted} id '{target}'{_closest(target, options)}; it must be the id of a file in data/{'/, data/'.join(ref.kinds)}/"
        else:
            msg = f"'{target}' is a {SINGULAR[target_kind]}, but this field takes a {wanted} id"
        return [raw.problem(path, msg)]


def _check_rules(atlas: Atlas) -> list[Problem]:
    """Rules that span several fields of one record."""
    problems = []

    def bad(rid: str, path: tuple, message: str):
        raw = atlas.raw[rid]
        problems.append(raw.problem(path, message))

    former: dict[str, str] = {}
    for kind in KIND_ORDER:
        for rid, rec in atlas.records[kind].items():
            for i, old in enumerate(getattr(rec, "former_ids", [])):
                if old in atlas.raw:
                    bad(rid, ("former_ids", i), f"'{old}' is the id of a current record ({atlas.raw[old].file}); a former id must be free")
                elif old in former:
                    bad(rid, ("former_ids", i), f"'{old}' is already a former id of '{former[old]}'")
                else:
                    former[old] = rid
    for src in atlas.all("sources"):
        archived = rules.archived_original(src.url) is not None
        if archived and src.type != "archive-copy":
            bad(src.id, ("type",), "this URL is the Internet Archive's copy of a page: its type is archive-copy")
        elif src.type == "archive-copy" and not archived:
            bad(src.id, ("type",), "type archive-copy is for a copy kept by the Internet Archive "
                                   "(https://web.archive.org/web/<date>/<original URL>)")
    for era in atlas.all("eras"):
        if era.end and date_key(era.end) < date_key(era.start):
            bad(era.id, ("end",), f"the era ends ({era.end}) before it starts ({era.start})")
    # Eras divide history: each event belongs to exactly one, so they may touch but not overlap.
    eras = atlas.eras()
    for prev, era in zip(eras, eras[1:]):
        if prev.end is None or date_key(era.start) < date_key(prev.end):
            until = f"ends ({prev.end})" if prev.end else "has no end"
            bad(era.id, ("start",), f"the era starts ({era.start}) before era '{prev.id}' {until}; eras must not overlap")
    for dev in atlas.all("devices"):
        if dev.first_plasma and dev.end_of_operation:
            if date_key(dev.end_of_operation.date) < date_key(dev.first_plasma.date):
                bad(dev.id, ("end_of_operation", "date"), "end of operation is earlier than first plasma")
    for mem in atlas.all("members"):
        if mem.joined and mem.left and date_key(mem.left.date) < date_key(mem.joined.date):
            bad(mem.id, ("left", "date"), "the party left before it joined")
        if mem.role == "former" and mem.left is None:
            bad(mem.id, ("left",), "a former party needs a 'left' date")
        if mem.share:
            _quantity_problems(bad, mem.id, ("share",), mem.share, SHARE)
    for person in atlas.all("people"):
        if person.born and person.died and date_key(person.died) < date_key(person.born):
            bad(person.id, ("died",), f"the person died ({person.died}) before being born ({person.born})")
        for i, pos in enumerate(person.positions):
            if pos.start and pos.end and date_key(pos.end) < date_key(pos.start):
                bad(person.id, ("positions", i, "end"), f"the position ends ({pos.end}) before it starts ({pos.start})")
            if person.born and pos.start and date_key(pos.start) < date_key(person.born):
                bad(person.id, ("positions", i, "start"), f"the position starts ({pos.start}) before the person was born ({person.born})")
    for dev in atlas.all("devices"):
        for name, quantity in PARAMETER_QUANTITIES.items():
            fact = getattr(dev.parameters, name)
            if fact is not None:
                _quantity_problems(bad, dev.id, ("parameters", name), fact, quantity)
        for i, rec in enumerate(dev.records):
            _quantity_problems(bad, dev.id, ("records", i), rec, METRIC_QUANTITIES[rec.metric])
        if dev.identifiers.iaea_ffdb and not dev.classification_source:
            bad(dev.id, ("identifiers", "iaea_ffdb"), "a device in the IAEA Fusion Facility Database cites it for its "
                "classification: add classification_source (the database's source id)")
        if len(set(dev.fuel)) != len(dev.fuel):
            bad(dev.id, ("fuel",), "a fuel is listed twice")
        for i, cost in enumerate(dev.cost_estimates):
            if why := COST.problem(cost.value, cost.unit):
                bad(dev.id, ("cost_estimates", i, "value"), why)
    for rid, path, fact in disagreements(atlas):
        if isinstance(fact, DatedFact):
            for j, other in enumerate(fact.others):
                if other.date == fact.date:
                    bad(rid, (*path, "others", j, "date"), f"gives the same date as the value used ({fact.date}); list only sources that differ")
                if other.source == fact.source:
                    bad(rid, (*path, "others", j, "source"), "is the source of the value used; another value needs another source")
    problems.extend(_planned_in_the_past(atlas))
    problems.extend(_predecessor_cycles(atlas))
    return problems


def _quantity_problems(bad, rid: str, path: tuple, fact, quantity) -> None:
    """A sourced number, and each other source's value for it, in the quantity's units and range."""
    if why := quantity.problem(fact.value, fact.unit):
        bad(rid, (*path, "value" if fact.unit in quantity.units else "unit"), why)
    for j, other in enumerate(fact.others):
        where = (*path, "others", j)
        if why := quantity.problem(other.value, other.unit):
            bad(rid, (*where, "value" if other.unit in quantity.units else "unit"), why)
        elif (other.value, other.unit) == (fact.value, fact.unit):
            bad(rid, (*where, "value"), f"is the value used ({fact.value:g} {fact.unit}); list only sources that differ")
        if other.source == fact.source:
            bad(rid, (*where, "source"), "is the source of the value used; another value needs another source")


def disagreements(atlas: Atlas):
    """(record id, path, fact) of every sourced value or date that other sources give differently."""
    for kind in KIND_ORDER:
        for rid, rec in atlas.records[kind].items():
            yield from _facts_with_others(rid, rec, ())


def _facts_with_others(rid: str, value, path: tuple):
    if isinstance(value, (Fact, DatedFact)):
        if value.others:
            yield rid, path, value
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _facts_with_others(rid, item, (*path, i))
    elif isinstance(value, Strict):
        for name in _fact_fields(type(value)):  # only the fields that can hold a fact
            yield from _facts_with_others(rid, getattr(value, name), (*path, name))


@functools.lru_cache(maxsize=None)
def _fact_fields(model: type) -> tuple[str, ...]:
    """The fields of ``model`` whose type can hold a sourced value or date, however nested."""
    return tuple(name for name, info in model.model_fields.items() if _may_hold_facts(info.annotation))


def _may_hold_facts(annotation) -> bool:
    if get_origin(annotation) is not None:  # list[...], X | None, Annotated[...]
        return any(_may_hold_facts(arg) for arg in get_args(annotation))
    return isinstance(annotation, type) and issubclass(annotation, Strict) and (
        issubclass(annotation, (Fact, DatedFact)) or bool(_fact_fields(annotation)))


def today() -> _dt.date:
    """Today, or FUSION_ATLAS_TODAY (YYYY-MM-DD) to check the data as of another day."""
    fixed = os.environ.get("FUSION_ATLAS_TODAY")
    return _dt.date.fromisoformat(fixed) if fixed else _dt.date.today()


def has_begun(date: str) -> bool:
    """Whether the (partial) date has come: "2034" has not in 2026."""
    now = today()
    return date_key(date) <= (now.year, now.month, now.day)


def _period_end(date: str) -> tuple[int, int, int]:
    """The last day a partial date may mean: "2026" is planned until the end of 2026."""
    y, m, d = date_key(date)
    return (y, m or 12, d or 31)


def _planned_in_the_past(atlas: Atlas) -> list[Problem]:
    """A date still marked planned once it has passed is stale: it happened (actual) or slipped."""
    now = today()
    now_key = (now.year, now.month, now.day)
    problems = []

    def look(rid: str, path: tuple, fact) -> None:
        if fact is not None and fact.status == "planned" and _period_end(fact.date) < now_key:
            problems.append(atlas.raw[rid].problem(path + ("status",), (
                f"{fact.date} has passed ({now.isoformat()} today) but is still marked planned; "
                "mark it actual (with a source saying it happened) or move the date to the new plan")))

    for mem in atlas.all("members"):
        look(mem.id, ("joined",), mem.joined)
        look(mem.id, ("left",), mem.left)
    for dev in atlas.all("devices"):
        look(dev.id, ("first_plasma",), dev.first_plasma)
        look(dev.id, ("end_of_operation",), dev.end_of_operation)
        for i, rec in enumerate(dev.records):
            look(dev.id, ("records", i), rec)
    for event in atlas.all("events"):
        look(event.id, ("date",), event.date)
    for org in atlas.all("organisations"):
        look(org.id, ("founded",), org.founded)
    return problems


def _predecessor_cycles(atlas: Atlas) -> list[Problem]:
    """Predecessors are history: a device (or party) cannot descend from itself."""
    problems = []
    for kind, field_name, edges in (
        ("devices", "predecessors", {d.id: list(d.predecessors) for d in atlas.all("devices")}),
        ("members", "predecessor", {m.id: [m.predecessor] if m.predecessor else [] for m in atlas.all("members")}),
    ):
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        reported: set[frozenset] = set()
        for start in sorted(edges):
            stack = [(start, iter(edges.get(start, [])))]
            path = [start]
            state[start] = state.get(start) or 1
            if state[start] == 2:
                continue
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    state[node] = 2
                    stack.pop()
                    path.pop()
                elif child == node:
                    continue  # a record naming itself is reported as such
                elif state.get(child) == 1 and child in path:
                    cycle = path[path.index(child):]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        first = min(cycle)
                        i = cycle.index(first)
                        ring = cycle[i:] + cycle[:i] + [first]
                        problems.append(atlas.raw[first].problem(
                            (field_name,), f"the predecessors form a cycle ({' -> '.join(ring)}); a record cannot descend from itself"))
                elif child in edges and not state.get(child):
                    state[child] = 1
                    stack.append((child, iter(edges[child])))
                    path.append(child)
    return problems


# Names the site uses itself: a record with one of these ids would write over, or
# shadow, a page or folder of the site (docs/members/index.md, /assets/, /search/...).
RESERVED_IDS = frozenset({
    "index", "assets", "search", "data", "zh", "en", "404", "sitemap", "robots", "stylesheets",
    "javascripts", "images", "fonts", "overrides", "livereload", "feed", "tags", *KIND_ORDER, "_schemas",
})


def _reserved_ids(atlas: Atlas, root: Path) -> list[Problem]:
    """Ids that would collide with a page or folder of the site. (A hand-written file in
    docs/<kind>/ named like a record is refused by the build, which never writes over it.)"""
    docs = root / "docs"
    hand_written = set()
    if docs.is_dir() and not docs.is_symlink():
        hand_written = {p.name.split(".", 1)[0] for p in docs.iterdir() if not p.name.startswith(".")}
    problems = []
    for rid, raw in atlas.raw.items():
        index = rid == "index" and (docs / raw.kind / "index.md").is_file()
        if rid in RESERVED_IDS or rid in hand_written:
            where = f"the site's own page docs/{raw.kind}/index.md" if index else f"the site's own path /{rid}/"
            problems.append(raw.problem(("id",), f"id '{rid}' is reserved: it would collide with {where}; choose another id (and file name)"))
    return problems


_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def resolve_link(target: str, page_dir: str) -> str | None:
    """Return 'kind/id' for a link to an entity page, else None."""
    target = target.split("#", 1)[0]
    if not target or "://" in target or target.startswith("mailto:"):
        return None
    if target.startswith("/"):
        parts = target.strip("/").split("/")
    else:
        parts = (page_dir.split("/") if page_dir else []) + target.split("/")
    stack: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if stack:
                stack.pop()
            continue
        stack.append(part)
    return "/".join(stack)


def _file_kind(atlas: Atlas, rid: str) -> str | None:
    """The kind of the record file ``rid``, valid or not, even unreadable (so one
    problem is not reported again at every reference to it)."""
    raw = atlas.raw.get(rid)
    return raw.kind if raw else atlas.unread.get(rid)


def _load_prose(atlas: Atlas, folder: Path, root: Path) -> list[Problem]:
    problems: list[Problem] = []
    if not folder.is_dir() or folder.is_symlink():
        return problems
    for path in regular_files(folder, ".md"):
        rel = path.relative_to(root).as_posix()
        kind = path.parent.name
        stem = path.name[: -len(".md")]
        lang = "en"
        if stem.endswith(".zh"):
            stem, lang = stem[:-3], "zh"
        if kind not in PAGE_KINDS or _file_kind(atlas, stem) != kind or path.parent.parent != folder:
            problems.append(
                Problem(rel, 1, stem, "", "prose file for an unknown record; it must be prose/<kind>/<id>.md for a record in data/<kind>/<id>.yaml")
            )
            continue
        text, problem = read_input(path, rel, MAX_PROSE_BYTES)
        if text is None:
            problems.extend([problem] if problem else [])
            continue
        problems.extend(lint.lint_prose(text, rel, stem, lang))
        atlas.prose[(kind, stem, lang)] = text
        atlas.prose_files[(kind, stem, lang)] = rel
        for lineno, line in enumerate(text.splitlines(), 1):
            for m in _LINK_RE.finditer(line):
                target = m.group(1)
                if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", html.unescape(target)) or target.startswith("//"):
                    continue  # the lint checks schemes and hosts
                resolved = resolve_link(target, kind)
                if resolved is None:
                    continue
                if not resolved.endswith(".md"):
                    problems.append(Problem(rel, lineno, stem, "", f"link '{m.group(1)}' must point to a page's .md file, e.g. ../devices/jet.md"))
                    continue
                page = resolved[:-3]
                tkind, _, tid = page.partition("/")
                if tkind in PAGE_KINDS and _file_kind(atlas, tid) == tkind:
                    continue
                if (root / "docs" / resolved).is_file():
                    continue
                problems.append(Problem(rel, lineno, stem, "", f"link '{m.group(1)}' points to no page"))
    return problems


def prose_links(atlas: Atlas, kind: str, rid: str) -> list[str]:
    """Ids of the entities that the prose of (kind, rid) links to."""
    out = []
    for lang in LANGS:
        text = atlas.prose.get((kind, rid, lang), "")
        for m in _LINK_RE.finditer(text):
            resolved = resolve_link(m.group(1), kind)
            if resolved and resolved.endswith(".md"):
                tkind, _, tid = resolved[:-3].partition("/")
                if atlas.kind_of.get(tid) == tkind and tid != rid:
                    out.append(tid)
    return out


# --------------------------------------------------------------------------
# Indexes (computed once; the graph is complete before anything renders)
# --------------------------------------------------------------------------


def _index(atlas: Atlas) -> None:
    referenced: dict[str, set[str]] = defaultdict(set)
    cited: dict[str, set[str]] = defaultdict(set)
    events_of: dict[str, list[Event]] = defaultdict(list)

    for kind in KIND_ORDER:
        for rid, model in atlas.records[kind].items():
            for _path, _ref, target in iter_refs(model):
                if atlas.kind_of[target] == "sources":
                    cited[target].add(rid)
                elif kind in PAGE_KINDS and target != rid:
                    referenced[target].add(rid)
            if kind in PAGE_KINDS:
                for target in prose_links(atlas, kind, rid):
                    referenced[target].add(rid)

    for event in atlas.events():
        for target in dict.fromkeys(event.involves):
            events_of[target].append(event)
    eras = atlas.eras()
    starts = [date_key(era.start) for era in eras]
    for event in atlas.events():
        # The era of an event: the last one starting on or before its date.
        i = bisect.bisect_right(starts, date_key(event.date.date))
        era_id = eras[i - 1].id if i else None
        if era_id:
            atlas.era_of_event[event.id] = era_id
            if era_id not in event.involves:
                events_of[era_id].append(event)
    for era_id in events_of:
        events_of[era_id].sort(key=lambda e: (date_key(e.date.date), e.id))

    # Links that pages also list from the other side, inverted once: (kind, field)
    # -> target -> ids of the records of that kind whose field names the target.
    inverse: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for kind, field_name, targets in (
        ("members", "predecessor", lambda r: [r.predecessor]),
        ("organisations", "member", lambda r: [r.member]),
        ("organisations", "site", lambda r: [r.site]),
        ("devices", "operator", lambda r: [r.operator]),
        ("devices", "site", lambda r: [r.site]),
        ("devices", "predecessors", lambda r: r.predecessors),
        ("devices", "members", lambda r: [r.host, *r.participants]),  # host or participant
        ("people", "organisation", lambda r: [pos.organisation for pos in r.positions]),
    ):
        for rec in atlas.all(kind):
            for target in targets(rec):
                if target:
                    inverse[(kind, field_name)][target].add(rec.id)
    atlas.inverse = {key: {target: sorted(ids) for target, ids in value.items()} for key, value in inverse.items()}

    atlas.referenced_by = {k: sorted(v) for k, v in referenced.items()}
    atlas.cited_by = {k: sorted(v) for k, v in cited.items()}
    atlas.events_of = dict(events_of)
    atlas.successors = atlas.inverse.get(("devices", "predecessors"), {})
    atlas.devices_of_member = atlas.inverse.get(("devices", "members"), {})
    atlas.devices_at_site = atlas.inverse.get(("devices", "site"), {})


def check(root: Path | str, style: bool = True, blocks: Iterable[str] | None = None) -> list[Problem]:
    """Validate everything; return the problems (empty when the data is good).

    ``style`` adds the YAML style check (yamllint), which the build skips;
    ``blocks`` checks the hand-written pages too (see ``load_atlas``).
    """
    root = Path(root)
    problems: list[Problem] = []
    texts: dict[Path, str] = {}  # each data file read once, for the style check and the loader
    data = root / "data"
    folders = sorted(p for p in data.iterdir() if p.is_dir() and not p.is_symlink()) if data.is_dir() and not data.is_symlink() else []
    listings = {folder: record_files(folder) for folder in folders}  # listed once, for the style check and the loader
    paths = [path for files, _refused in listings.values() for path in files]
    linter = lint.YamlStyle(root, cache=root / ".cache" / "yamllint.json", expected=len(paths), enabled=style)
    for path in paths:  # the style check's processes start on the first files read
        text, _problem = read_input(path, "", MAX_RECORD_BYTES)
        if text is None:
            continue  # the loader reports the file
        texts[path] = text
        linter.add(path, text)
    try:
        load_atlas(root, texts=texts, index=False, blocks=blocks, listings=listings)  # (the indexes report no problem)
    except DataError as exc:
        problems = exc.problems
    unreadable = {p.file for p in problems if p.whole_file}  # their style problems would only repeat it
    problems += [p for p in linter.finish() if p.file not in unreadable]
    return sorted(problems, key=Problem.sort_key)


__all__ = ["Atlas", "load_atlas", "check", "date_key", "Member", "Device", "Source", "Ref"]

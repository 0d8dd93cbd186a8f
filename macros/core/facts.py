"""The sourced facts of the data, walked once: how current they are, and what changed since a release.

* **Freshness.** A fact's "as of" date is the day it was true: a figure's ``as_of``; an actual
  date is true from that date on; a planned date is as current as its source's publication (or,
  undated, the day it was read). A page states its newest fact. A fact *goes stale* when it is
  about something still running or planned (a device operating, under construction or
  designed; a current member; a planned event), can change while it is (geometry, fixed once
  built, cannot), and its as-of date is more than ``STALE_AFTER_MONTHS`` older than the data.
* **Changes.** ``fact_table`` flattens records (validated models dumped to JSON, or the raw YAML
  of an older release, which the current model may not read) into ``{"kind/id:field": value}``;
  ``changes`` compares two such tables. ``data/_releases/<version>.json`` keeps each release's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .atlas import KIND_ORDER, Atlas, _fact_fields, date_key
from .model import DatedFact, Fact, Strict

STALE_AFTER_MONTHS = 18
# Fixed when a machine is built: not flagged however old the source (a rebuild is a new fact).
FIXED = frozenset({"major_radius", "minor_radius", "elongation", "triangularity", "plasma_volume"})
RUNNING = frozenset({"operating", "construction", "design", "concept", "repair"})
RELEASES_DIR = "data/_releases"


def walk(value, path: tuple = ()):
    """(path, fact) of every ``Fact`` and ``DatedFact`` in a record, however nested."""
    if isinstance(value, (Fact, DatedFact)):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, (*path, i))
    elif isinstance(value, Strict):
        for name in _fact_fields(type(value)):
            yield from walk(getattr(value, name), (*path, name))


def as_of(atlas: Atlas, fact) -> str:
    """The date ``fact`` was true as of (see the module docstring)."""
    if isinstance(fact, Fact):
        return fact.as_of
    if fact.status == "actual":
        return fact.date
    source = atlas.get(fact.source)
    return source.published or source.accessed


def newest(atlas: Atlas, rid: str) -> str | None:
    """The as-of date of the newest fact of a record, or None if it has none."""
    dates = [as_of(atlas, fact) for _path, fact in walk(atlas.get(rid))]
    return max(dates, key=date_key) if dates else None


def stale_before(atlas: Atlas) -> str:
    """The month before which a fact about something running or planned is flagged."""
    year, month, _ = date_key(atlas.data_date or "1970-01")
    month -= STALE_AFTER_MONTHS
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return f"{year:04d}-{month:02d}"


def is_running(atlas: Atlas, rid: str) -> bool:
    """Whether a record is about something still running or planned (its facts can go stale)."""
    rec, kind = atlas.get(rid), atlas.kind_of[rid]
    if kind == "devices":
        return rec.status in RUNNING
    if kind == "members":
        return rec.role != "former"
    return kind == "events"  # an event's only fact is its date: stale only if planned


def can_change(path: tuple, fact) -> bool:
    """A planned date or target can slip; a quantity can change, unless it is geometry."""
    if getattr(fact, "status", "planned") == "actual":  # an actual date, or a record reached
        return False
    return not (path and path[-1] in FIXED)


@dataclass(frozen=True)
class Stale:
    rid: str
    path: tuple
    fact: object
    as_of: str


_STALE: dict = {}  # the atlas last asked about -> its stale facts (pages ask once each)


def stale(atlas: Atlas) -> list[Stale]:
    """Every stale fact, oldest first: what editors should renew."""
    if _STALE.get("atlas") is not atlas:
        _STALE.clear()
        _STALE.update(atlas=atlas, found=_stale(atlas))
    return _STALE["found"]


def stale_index(atlas: Atlas) -> dict[int, str]:
    """``id(fact)`` -> its as-of date, for every stale fact: what any page showing one flags."""
    if _STALE.get("atlas") is not atlas or "index" not in _STALE:
        _STALE["index"] = {id(s.fact): s.as_of for s in stale(atlas)}
    return _STALE["index"]


def _stale(atlas: Atlas) -> list[Stale]:
    before = stale_before(atlas)
    found = []
    for kind in KIND_ORDER:
        for rid, rec in atlas.records[kind].items():
            if not is_running(atlas, rid):
                continue
            for path, fact in walk(rec):
                if can_change(path, fact):
                    when = as_of(atlas, fact)
                    if date_key(when) < date_key(before):
                        found.append(Stale(rid, path, fact, when))
    return sorted(found, key=lambda s: (date_key(s.as_of), s.rid, str(s.path)))


# --------------------------------------------------------------------------
# What changed since a release
# --------------------------------------------------------------------------

_ITEM_KEYS = (("metric", "date"), ("stated", "scope"), ("stated",), ("id",), ("date",))


def _item_key(item, index: int) -> str:
    """A list item's key that survives reordering: a record by metric and date, an estimate by when stated."""
    if isinstance(item, dict):
        for keys in _ITEM_KEYS:
            if all(item.get(k) is not None for k in keys):
                return "@".join(str(item[k]) for k in keys)
    return str(index)


def _shown(fact: dict) -> str:
    if "value" in fact:
        value = fact["value"]
        text = f"{value:g}" if isinstance(value, (int, float)) else str(value)
        return ("~" if fact.get("approx") else "") + f"{text} {fact.get('unit', '')}".strip()
    if "date" in fact:
        return f"{fact['date']} ({fact.get('status', 'actual')})"
    # A history entry (a schedule baseline): the dates it gave.
    return "; ".join(f"{k} {v}" for k, v in sorted(fact.items())
                     if k not in ("source", "note", "stated", "as_of") and isinstance(v, (str, int, float)))


def _flatten(value, path: str, out: dict) -> None:
    if isinstance(value, dict):
        if "source" in value and ("value" in value or "date" in value or "stated" in value):
            out[path] = _shown(value)
            return
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{path}[{_item_key(item, i)}]", out)


def fact_table(records) -> dict[str, str]:
    """``{"kind/id:field": shown value}`` of every sourced fact of ``(kind, id, dict)`` records."""
    out: dict[str, str] = {}
    for kind, rid, data in records:
        flat: dict[str, str] = {}
        _flatten({k: v for k, v in data.items() if k != "id"}, "", flat)
        out.update({f"{kind}/{rid}:{field}": shown for field, shown in flat.items()})
    return dict(sorted(out.items()))


def atlas_fact_table(atlas: Atlas) -> dict[str, str]:
    return fact_table((kind, rid, rec.model_dump(mode="json", exclude_defaults=True))
                      for kind in KIND_ORDER for rid, rec in atlas.records[kind].items())


def raw_release(root: Path) -> tuple[str, dict[str, str], set[str]]:
    """(data date, fact table, records) of the YAML under ``root``/data read as it is: an older
    release's data, which the current model may refuse."""
    import yaml

    rows, dates = [], []
    for kind in KIND_ORDER:
        for path in sorted((Path(root) / "data" / kind).glob("[!_]*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            rows.append((kind, path.stem, data))
            if kind == "sources" and data.get("accessed"):
                dates.append(str(data["accessed"]))
    return max(dates, key=date_key, default=""), fact_table(rows), {f"{k}/{r}" for k, r, _ in rows}


@dataclass(frozen=True)
class Release:
    version: str
    data_date: str
    facts: dict[str, str]
    records: frozenset[str]  # "kind/id" of every record


def release_json(version: str, data_date: str, facts: dict[str, str], records) -> str:
    payload = {"version": version, "data_date": data_date, "records": sorted(records), "facts": facts}
    return json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def read_release(path: Path) -> Release:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return Release(payload["version"], payload["data_date"], payload["facts"], frozenset(payload["records"]))


def last_release(root: Path, version: str) -> Release | None:
    """The newest release kept in ``data/_releases/`` older than ``version`` (the one being built)."""
    def key(v: str) -> tuple:
        return tuple(int(x) if x.isdigit() else 0 for x in v.split("."))

    folder = Path(root) / RELEASES_DIR
    found = sorted((p for p in folder.glob("*.json") if key(p.stem) < key(version)), key=lambda p: key(p.stem))
    return read_release(found[-1]) if found else None


@dataclass(frozen=True)
class Changes:
    since: Release
    added_records: list[str]  # "kind/id"
    removed_records: list[str]
    added: list[tuple[str, str]]  # (key, new value), facts of records that existed before
    changed: list[tuple[str, str, str]]  # (key, old, new)
    removed: list[tuple[str, str]]
    facts_of_added_records: int


def changes(since: Release, now: dict[str, str], records_now: set[str]) -> Changes:
    def record(key: str) -> str:
        return key.split(":", 1)[0]

    added_records = sorted(records_now - since.records)
    new = set(added_records)
    added = [(k, v) for k, v in now.items() if k not in since.facts and record(k) not in new]
    changed = [(k, since.facts[k], v) for k, v in now.items() if k in since.facts and since.facts[k] != v]
    removed = [(k, v) for k, v in since.facts.items() if k not in now and record(k) in records_now]
    return Changes(since, added_records, sorted(since.records - records_now), added, changed, removed,
                   sum(1 for k in now if record(k) in new))

"""Synthetic but valid data at N times the real data (for the benchmark).

Copy k of every record gets the id ``<id>-x<k>``; every reference inside the
copy (found by the model's own reference walk) points to the same copy, so
the copies are as cross-linked as the real data. Prose is copied with its
links rewritten. Written to a folder the caller names, never into data/.

Eras are not copied: they divide history, so more devices and events make
fuller eras, not more of them (and validation refuses overlapping eras).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml

from macros.core.model import KINDS
from macros.core.refs import iter_refs

FIXED_KINDS = {"eras"}  # kinds whose records stay as they are at every scale
LINK = re.compile(r"\]\(([^)\s]*?)([a-z0-9-]+)\.md\)")


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _copy_record(data: dict, kind: str, suffix: str, k: int, fixed: set[str]) -> dict:
    import copy

    out = copy.deepcopy(data)
    for path, _ref, target in list(iter_refs(data, KINDS[kind])):
        if target not in fixed:
            _set(out, path, target + suffix)
    out["id"] = data["id"] + suffix
    if "former_ids" in out:
        out["former_ids"] = [f + suffix for f in out["former_ids"]]
    if isinstance(out.get("name"), dict):
        out["name"] = {"en": f"{out['name']['en']} {k}", "zh": f"{out['name'].get('zh', '')}{k}"}
    elif kind == "sources":
        out["title"] = f"{out['title']} ({k})"
    return out


def generate(root: Path, dest: Path, factor: int) -> dict[str, int]:
    """Write data/ and prose/ at ``factor`` times the real size under ``dest``."""
    counts: dict[str, int] = {}
    ids, fixed = set(), set()
    records = []
    for kind in KINDS:
        for path in sorted((root / "data" / kind).glob("[!_]*.yaml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            records.append((kind, data))
            (fixed if kind in FIXED_KINDS else ids).add(data["id"])
    for sub in ("data", "prose"):
        shutil.rmtree(dest / sub, ignore_errors=True)
    for kind, data in records:
        folder = dest / "data" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for k in range(1 if kind in FIXED_KINDS else factor):
            rec = data if k == 0 else _copy_record(data, kind, f"-x{k}", k, fixed)
            (folder / f"{rec['id']}.yaml").write_text(
                yaml.dump(rec, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8"
            )
            counts[kind] = counts.get(kind, 0) + 1
    for path in sorted((root / "prose").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root / "prose")
        for k in range(1 if rel.parts[0] in FIXED_KINDS else factor):
            suffix = "" if k == 0 else f"-x{k}"
            body = text if k == 0 else LINK.sub(
                lambda m: f"]({m.group(1)}{m.group(2)}{suffix if m.group(2) in ids else ''}.md)", text
            )
            stem, _, rest = rel.name.partition(".")
            out = dest / "prose" / rel.parent / f"{stem}{suffix}.{rest}"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(body, encoding="utf-8")
    return counts

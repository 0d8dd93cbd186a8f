"""JSON Schemas of the data kinds, generated from the pydantic models.

Committed under data/_schemas/ so editors' YAML extensions can validate while
typing (see .vscode/settings.json); a test regenerates and compares them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ..core.model import KINDS

SCHEMA_DIR = Path("data") / "_schemas"


@lru_cache(maxsize=1)  # the models do not change while a process runs
def schema_texts() -> dict[str, str]:
    """File name -> JSON text, for every kind (deterministic)."""
    out = {}
    for kind, model in KINDS.items():
        schema = model.model_json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{kind}.schema.json",
            **schema,
            "description": f"One Fusion Atlas record of data/{kind}/ (generated from macros/core/model.py; do not edit).",
        }
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return out


def write_schemas(root: Path) -> list[str]:
    """Write the schemas; return the names of the files that changed."""
    from .files import write_if_changed

    folder = root / SCHEMA_DIR
    changed = [name for name, text in schema_texts().items() if write_if_changed(folder / name, text)]
    for stale in folder.glob("*.schema.json"):
        if stale.name not in schema_texts():
            stale.unlink()
            changed.append(stale.name)
    return changed

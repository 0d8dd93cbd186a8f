"""Writing the site's generated files: only when their content changed (so ``serve``
does not loop on its own writes); and atomically where a reader may look at the file
meanwhile (the old file or the new one, never half of one)."""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, content: str) -> bool:
    """Write ``content`` unless the file already holds it; True when it wrote.
    (In place, not through a temporary file: ``serve`` watches docs/, and a
    temporary file there would look like an edit.)"""
    if path.exists() and path.read_text(encoding="utf-8") == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return True


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(content, bytes):
        tmp.write_bytes(content)
    else:
        tmp.write_text(content, encoding="utf-8")
    tmp.replace(path)

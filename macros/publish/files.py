"""Writing the site's generated files: only when their content changed (so ``serve``
does not loop on its own writes). (Atomic writes: ``core/fileio.py``.)"""

from __future__ import annotations

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

"""The one rule for cache keys: a cached file depends on its inputs, on this code,
and on the versions of the libraries that made it.

Every cache of the build (rendered pages, drawn charts, style-check results)
keys its entries with ``key(...)``: the code digest covers every module of the
package (a unit symbol in the model or a label changes every chart that shows
it), and ``versions`` the libraries named.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=None)
def code_digest(*extra_folders: str) -> str:
    """A hash of every Python file of the package (and of every file under ``extra_folders``)."""
    files = sorted(PACKAGE.rglob("*.py"))
    for folder in extra_folders:
        files += sorted(p for p in Path(folder).rglob("*") if p.is_file())
    h = hashlib.sha1()
    for path in files:
        h.update(str(path.relative_to(path.anchor)).encode("utf-8"))
        h.update(path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def versions(*distributions: str) -> str:
    """The installed versions of ``distributions`` ("name==version", one per line)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for name in distributions:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}==none")
    return "\n".join(out)


def key(*parts: str) -> str:
    """The cache key of an entry made from ``parts`` (its inputs, the code, the versions)."""
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()

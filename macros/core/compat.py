"""Gates for the code that relies on other projects' private internals.

Each compat module names the exact versions of its upstream it was tested
with and asks ``gate`` before using an internal. On any other installed
version, or when ``FUSION_ATLAS_COMPAT=off`` is set (the tests build the site
so and compare it byte for byte), the gate is closed and the caller takes the
public path: the same site, only slower.
"""

from __future__ import annotations

import functools
import os


def forced_off() -> bool:
    """True when FUSION_ATLAS_COMPAT=off asks for the public paths only."""
    return os.environ.get("FUSION_ATLAS_COMPAT", "").lower() in ("off", "0", "false")


@functools.lru_cache(maxsize=None)
def installed(distribution: str) -> str | None:
    """The installed version of ``distribution``, or None."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def gate(distribution: str, tested: tuple[str, ...]) -> bool:
    """Whether the internals of ``distribution`` may be used: its installed version is one
    of ``tested`` and the gates are not forced off."""
    return not forced_off() and installed(distribution) in tested

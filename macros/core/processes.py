"""One way to run work in parallel: a pool of forked processes.

Forked, so that each process starts with what the parent has loaded (the
data, matplotlib and its fonts) instead of importing and loading it again.
Fork only while no other thread runs (a build, not a reload under ``serve``).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def forked_pool(processes: int | None = None, initializer=None) -> ProcessPoolExecutor:
    """A pool of ``processes`` forked processes (default: one per core)."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=initializer)

"""Map a function over many items in forked processes, for the build's CPU-bound steps.

Parsing 20,000 notes or finding the sentence around 200,000 links takes a minute in one
process; the machine has more cores. `map_forked` forks `workers` processes that inherit
everything the function needs (the vault, the resolver: nothing is pickled on the way in),
gives each a contiguous share of the items and returns the results in the items' order, so
the outcome is the same as a plain loop's, byte for byte. Results must be picklable.

It falls back to a plain loop for few items, one worker, or where ``fork`` is unavailable;
callers must not use it where threads run (``mkdocs serve``), since forking a process with
threads is unsafe.

>>> map_forked(lambda n: n * n, range(5), workers=2, minimum=1)
[0, 1, 4, 9, 16]
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

__all__ = ["map_forked"]

T = TypeVar("T")
R = TypeVar("R")

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running `map_forked`, inherited by its forked workers."""


def _share(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None
    function, items = _job
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_forked(
    function: Callable[[T], R], items: Iterable[T], workers: int, minimum: int = 200
) -> list[R]:
    """``[function(item) for item in items]``, computed by `workers` forked processes."""
    global _job
    items = list(items)
    if workers < 2 or len(items) < minimum or _job is not None:
        return [function(item) for item in items]
    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    step = -(-len(items) // (4 * workers))  # a few shares each: a slow share waits less
    bounds = [(lo, min(lo + step, len(items))) for lo in range(0, len(items), step)]
    _job = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_share, bounds, chunksize=1)
    finally:
        _job = None
    return [result for part in parts for result in part]

"""Give the memory a stage freed back to the system.

Reading a vault holds every note's text and its body at once, and the graph view builds
large temporary structures; once they are freed, glibc's heap keeps the pages (in holes
between objects still alive) and the process stays as large as it was at its peak, which
the render workers then inherit. `release` asks glibc to return those pages
(``malloc_trim``): on the tubegraph vault, some hundred megabytes. Elsewhere it does nothing.

>>> release()  # never fails
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import sys
from collections.abc import Callable

__all__ = ["release"]


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    return trim


def release(collect: bool = False) -> None:
    """Return the heap's free pages to the system (glibc's ``malloc_trim``), if it can;
    with `collect`, free the garbage in reference cycles first (the graph view leaves some
    100 MB of it on the tubegraph vault, which Python's collector would free only later)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)

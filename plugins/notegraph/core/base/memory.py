"""Give the memory a stage freed back to the system, and keep Python's collector off what
a build keeps to its end.

Reading a vault holds every note's text and its body at once, and the graph view builds
large temporary structures; once they are freed, glibc's heap keeps the pages (in holes
between objects still alive) and the process stays as large as it was at its peak, which
the render workers then inherit. `release` asks glibc to return those pages
(``malloc_trim``): on the tubegraph vault, some hundred megabytes. Elsewhere it does nothing.

Python's cycle collector walks every object it tracks each time enough new ones have piled
up, so a stage that makes millions of lasting objects (the notes read back from the cache,
their links, the graph) makes it walk them again and again: 16 of the 88 seconds of an
incremental build of the tubegraph vault. `lasting` runs such a stage without it, then
collects the stage's garbage once and freezes what is left (``gc.freeze``): later
collections leave those objects alone, and forked workers do not copy the memory pages the
collector would write to. `thaw` (at the start of a build) gives the objects of the builds
before back to the collector, so that a live preview, which builds again and again, frees
them.

>>> release()  # never fails
>>> with lasting():
...     kept = [[n] for n in range(3)]
>>> gc.isenabled() and gc.get_freeze_count() > 0
True
>>> thaw()
>>> gc.get_freeze_count()
0
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import sys
from collections.abc import Callable, Iterator

__all__ = ["lasting", "release", "thaw"]


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


@contextlib.contextmanager
def lasting() -> Iterator[None]:
    """A stage whose objects last to the end of the build: no collection while it runs,
    one at its end (the stage's own objects: those of the stages before are frozen), then
    what is left is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.freeze()
        if enabled:
            gc.enable()


def thaw() -> None:
    """Give the objects frozen by `lasting` back to the collector (a new build starts)."""
    gc.unfreeze()

"""Map a function over many items in forked processes, for the build's CPU-bound steps.

Parsing 20,000 notes or finding the sentence around 200,000 links takes a minute in one
process; the machine has more cores. `map_forked` forks `workers` processes that inherit
everything the function needs (the vault, the resolver: nothing is pickled on the way in),
gives each a contiguous share of the items and returns the results in the items' order, so
the outcome is the same as a plain loop's, byte for byte. Results must be picklable.

It falls back to a plain loop for few items, one worker, or where ``fork`` is unavailable;
callers must not use it where threads run (``mkdocs serve``), since forking a process with
threads is unsafe. Either way each item done is counted in the current `progress` phase
(a share's items when the share comes back), so a terminal shows how far it is.

>>> map_forked(lambda n: n * n, range(5), workers=2, minimum=1)
[0, 1, 4, 9, 16]

`Forked` runs one call in a forked process while the caller goes on (listing 200,000 files
of a site folder, mostly waiting for the disk, while the core works on the other core).

>>> Forked(sorted, [3, 1, 2]).result()
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar, cast

from notegraph.core.base import progress

__all__ = ["Forked", "map_forked"]

T = TypeVar("T")
R = TypeVar("R")

SHARES_PER_WORKER = 16
SHARE_MIN = 8
"""Items per share at least, so that small maps do not pay a round trip per item."""

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The function and items of the running `map_forked`, inherited by its forked workers."""


def _worker_start() -> None:
    """A worker ends at once on SIGTERM, whatever the parent does with it.

    A worker inherits its parent's signal handlers. The `notegraph` command turns SIGTERM into
    a KeyboardInterrupt in Python (`cli.main._stopped_by_sigterm`), and a Python handler runs
    only between two steps of Python code. A worker that `Pool.terminate` signals while it
    enters the wait for its next task would miss it, wait forever, and hang the build.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _share(bounds: tuple[int, int]) -> list[Any]:
    assert _job is not None
    progress.install(None)  # a worker: the main process shows the progress
    function, items = _job
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def map_forked(
    function: Callable[[T], R], items: Iterable[T], workers: int, minimum: int = 200
) -> list[R]:
    """``[function(item) for item in items]``, computed by `workers` forked processes."""
    global _job
    items = list(items)
    if workers < 2 or len(items) < minimum or _job is not None:
        return _loop(function, items)
    if "fork" not in multiprocessing.get_all_start_methods():
        return _loop(function, items)
    # Many small shares: a slow share waits less, and progress moves in small steps.
    step = max(SHARE_MIN, -(-len(items) // (SHARES_PER_WORKER * workers)))
    bounds = [(lo, min(lo + step, len(items))) for lo in range(0, len(items), step)]
    _job = (function, items)
    parts: list[list[Any]] = []
    try:
        with multiprocessing.get_context("fork").Pool(workers, _worker_start) as pool:
            for part in pool.imap(_share, bounds, chunksize=1):  # in the items' order
                parts.append(part)
                progress.advance(len(part))
            pool.close()  # workers end on their own; `terminate` (on leaving) finds none left
            pool.join()
    finally:
        _job = None
    return [result for part in parts for result in part]


def _loop(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    results = []
    for item in items:
        results.append(function(item))
        progress.advance()
    return results


class Forked(Generic[R]):
    """``function(*args)``, computed in a forked process from now on; `result` waits for
    it (where ``fork`` is unavailable, or the process died, `result` computes it then). The
    result must be picklable; `close` stops a call whose result is no longer wanted.

    A plain process and a pipe, not a `multiprocessing.Pool`: a pool runs threads in the
    calling process, which `map_forked` may fork meanwhile."""

    def __init__(self, function: Callable[..., R], *args: Any) -> None:
        self._function, self._args = function, args
        self._process: Any = None
        self._pipe: Any = None
        if "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._pipe, sending = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_send, args=(sending, function, args), daemon=True
            )
            self._process.start()
            sending.close()

    def result(self) -> R:
        """The call's result (its exception, raised here, if it raised one)."""
        if self._process is None:
            return self._function(*self._args)
        try:
            done, value = self._pipe.recv()
        except (EOFError, OSError):  # the process died without a word: here, then
            return self._function(*self._args)
        finally:
            self.close()
        if not done:
            raise value
        return cast(R, value)

    def close(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._pipe.close()
            self._process = None


def _send(pipe: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """A `Forked` process: the call's result, or its exception, into the pipe."""
    _worker_start()
    progress.install(None)  # the main process shows the progress
    try:
        outcome = (True, function(*args))
    except Exception as error:  # handed to the caller, raised there
        outcome = (False, error)
    pipe.send(outcome)
    pipe.close()

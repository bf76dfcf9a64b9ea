"""Progress of a build's long phases (read, link, graph, render, write, search), for the
person watching it.

On a terminal one line on stderr is rewritten in place while a phase runs, with its count,
rate and time::

    notegraph: read  512/1,026 notes  50%  310/s  1.6 s

and cleared when the phase ends. Whatever the output is, each phase then ends with one
plain line handed to the `Progress`'s ``finished`` function (the MkDocs plugin logs it), so a
CI log shows what took how long::

    read: 1,026 notes in 3.3 s (310/s)

A log record written while the line is shown first clears it (a filter on the handlers of
the ``mkdocs`` logger), so MkDocs' own messages and the line never mix; the line comes back
at the next count.

Code that does the work reports progress without knowing who watches, or whether anyone
does: `phase` opens a phase of the installed `Progress` (none installed: nothing happens),
`advance` counts, `expect` adds to the expected total. `parallel.map_forked` counts the
items it maps, so reading and linking notes report progress without code of their own.

>>> lines = []
>>> with installed(Progress(live=False, finished=lines.append)):
...     with phase("read", "note"):
...         expect(2)
...         advance(1)
...         advance(1)
>>> lines[0].startswith("read: 2 notes in ")
True
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

from notegraph.core.base.report import plural

__all__ = [
    "Progress",
    "Phase",
    "installed",
    "install",
    "phase",
    "advance",
    "expect",
    "tell",
    "on_terminal",
]

REDRAW_SECONDS = 0.1
"""Least time between two drawings of the line."""


def on_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal that can rewrite a line (not ``TERM=dumb``)."""
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


@dataclass
class Phase:
    """One phase under way: what it counts, how many so far, how many expected."""

    name: str
    unit: str
    total: int = 0
    done: int = 0
    detail: str = ""
    """What the phase is doing now, when counts cannot say it (Pagefind's current stage)."""
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """The live line: ``notegraph: read  512/1,026 notes  50%  310/s  1.6 s`` (the rate
        once something is done, what it is doing when it says so)."""
        if self.total:
            count = f"{self.done:,}/{plural(self.total, self.unit)}"
            share = f"  {min(100, 100 * self.done // self.total)}%"
        else:
            count, share = plural(self.done, self.unit), ""
        rate = f"  {self.rate:,.0f}/s" if self.done else ""
        detail = f"  {self.detail}" if self.detail else ""
        return f"notegraph: {self.name}  {count}{share}{rate}{detail}  {self.seconds:.1f} s"

    def summary(self) -> str:
        """The phase's closing line: ``read: 1,026 notes in 3.3 s (310/s)``."""
        rate = f" ({self.rate:,.0f}/s)" if self.done else ""
        detail = f"; {self.detail}" if self.detail else ""
        return f"{self.name}: {plural(self.done, self.unit)} in {self.seconds:.1f} s{rate}{detail}"


class _ClearLine(logging.Filter):
    """Clears the live line before a handler writes a record (and lets the record pass)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress

    def filter(self, record: logging.LogRecord) -> bool:
        self.progress.clear()
        return True


class Progress:
    """Shows the phases of one build: a live line on a terminal, a closing line for each.

    `live` draws the line (default: when `stream` is a terminal); `finished` receives each
    phase's closing line; `loggers` are the loggers whose handlers clear the line first.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        live: bool | None = None,
        finished: Callable[[str], None] = lambda line: None,
        loggers: tuple[str, ...] = ("mkdocs", ""),
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = on_terminal(self.stream) if live is None else live
        self.finished = finished
        self.loggers = loggers
        self.current: Phase | None = None
        self._drawn = False
        self._last_draw = 0.0
        self._filter = _ClearLine(self)

    @contextmanager
    def phase(self, name: str, unit: str, total: int = 0) -> Iterator[Phase]:
        """A phase: counted with `advance`, its closing line given to `finished` at the end."""
        outer, self.current = self.current, Phase(name, unit, total)
        handlers = self._handlers() if self.live else []
        for handler in handlers:
            handler.addFilter(self._filter)
        try:
            self._draw(force=True)
            yield self.current
            self.clear()
            self.finished(self.current.summary())
        finally:
            self.clear()
            for handler in handlers:
                handler.removeFilter(self._filter)
            self.current = outer

    def advance(self, count: int = 1) -> None:
        if self.current is not None:
            self.current.done += count
            self._draw()

    def expect(self, count: int) -> None:
        if self.current is not None:
            self.current.total += count
            self._draw()

    def tell(self, detail: str) -> None:
        """Say what the current phase is doing now (shown on the live line)."""
        if self.current is not None:
            self.current.detail = detail
            self._draw()

    def clear(self) -> None:
        """Remove the line (before anything else is written)."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def _handlers(self) -> list[logging.Handler]:
        found: list[logging.Handler] = []
        for name in self.loggers:
            for handler in logging.getLogger(name).handlers:
                if handler not in found:
                    found.append(handler)
        return found

    def _draw(self, force: bool = False) -> None:
        if not self.live or self.current is None:
            return
        now = time.perf_counter()
        if not force and now - self._last_draw < REDRAW_SECONDS:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((100, 24)).columns
        self.stream.write("\r\033[K" + self.current.line()[: max(width - 1, 10)])
        self.stream.flush()
        self._drawn = True


_active: Progress | None = None
"""The `Progress` that `phase`, `advance` and `expect` report to (see `installed`)."""


@contextmanager
def installed(progress: Progress | None) -> Iterator[Progress | None]:
    """Report the phases run inside to `progress` (None: to nobody)."""
    global _active
    outer, _active = _active, progress
    try:
        yield progress
    finally:
        _active = outer


def install(progress: Progress | None) -> None:
    """Report every phase from now on to `progress` (None: stop): for adapters whose
    start and end are separate events (the MkDocs plugin)."""
    global _active
    _active = progress


@contextmanager
def phase(name: str, unit: str, total: int = 0) -> Iterator[Phase | None]:
    """A phase of the installed `Progress`; nothing at all when none is installed."""
    if _active is None:
        yield None
        return
    with _active.phase(name, unit, total) as current:
        yield current


def advance(count: int = 1) -> None:
    """Count `count` more done in the current phase, if any."""
    if _active is not None:
        _active.advance(count)


def expect(count: int) -> None:
    """Expect `count` more in the current phase, if any."""
    if _active is not None:
        _active.expect(count)


def tell(detail: str) -> None:
    """Say what the current phase is doing now, if there is one."""
    if _active is not None:
        _active.tell(detail)

"""The build's long phases, as the plugin's events see them: each one's progress line and
its seconds.

The core times its stages (read, link, graph…: `pipeline.Build.timings`); the plugin adds
render (from the generated files to the end), search and the total. With the environment
variable ``NOTEGRAPH_TIMINGS`` set to a file name, a build writes them there as JSON, with
the pages render workers did and the peak memory of the main process and its children:
what ``benchmarks/run.py`` reads from the ``notegraph`` command it runs.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from notegraph.core.base import progress

__all__ = ["TIMINGS_ENV", "Phases"]

TIMINGS_ENV = "NOTEGRAPH_TIMINGS"


class Phases:
    """One build's clock and the progress phase under way (render and write span events)."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}  # seconds per phase
        self.started = 0.0
        self.files_done = 0.0  # when the generated files were handed to MkDocs
        self.ended = 0.0
        self._phase = ExitStack()

    def start(self) -> None:
        self.started = time.perf_counter()

    def core(self, timings: Mapping[str, float]) -> None:
        """The seconds of the core's stages; render starts when the files are ready."""
        self.timings = dict(timings)

    def files_ready(self) -> None:
        self.files_done = time.perf_counter()

    def next(self, name: str, pages: int = 0) -> None:
        """End the phase under way (if any), and start `name` counting `pages`."""
        self._phase.close()
        if name:
            self._phase.enter_context(progress.phase(name, "page", total=pages))

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        """Time a phase that runs inside one event; a phase that fails is not counted."""
        clock = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - clock

    def end(self) -> float:
        """The build is done: its seconds."""
        self.ended = time.perf_counter()
        return self.ended - self.started

    def dump(self, pages_by_workers: int) -> None:
        """Write the phases' seconds where ``NOTEGRAPH_TIMINGS`` says, if it is set."""
        target = os.environ.get(TIMINGS_ENV)
        if not target:
            return
        phases = {**self.timings, "render": self.ended - self.files_done}
        phases["total"] = self.ended - self.started
        phases["pages_by_workers"] = pages_by_workers
        for name, who in (("rss_main_mb", "RUSAGE_SELF"), ("rss_children_mb", "RUSAGE_CHILDREN")):
            phases[name] = resource.getrusage(getattr(resource, who)).ru_maxrss / 1024
        Path(target).write_text(json.dumps(phases, indent=1))

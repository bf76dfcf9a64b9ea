"""The build's findings in its log: each at debug level as it is found (``-v``), all of
them summed up in one warning at the end (`report.grouped`), with the command that lists
them all."""

from __future__ import annotations

import logging
import os
import shlex
from collections.abc import Mapping
from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from notegraph.core.base.report import (
    Diagnostic,
    Report,
    count_by_code,
    grouped,
    plural,
    with_severity,
)

__all__ = ["FindingsLog", "quoted"]

log = get_plugin_logger("notegraph")


class FindingsLog:
    """The findings of one build's report, logged once each, then summed up."""

    def __init__(self) -> None:
        self.report: Report | None = None
        self.vault = Path()
        self.severity: Mapping[str, str] = {}
        self.by_command = False  # built by the `notegraph` command (not `mkdocs build`)
        self.logged = 0  # diagnostics of the report already logged
        self.failing = 0  # errors and warnings the last build reported
        self.summed_up = False  # whether this build's findings were logged, grouped

    def start(self) -> None:
        """A new build, whose report is not there yet."""
        self.report, self.summed_up = None, False

    def found(
        self, report: Report, vault: Path, severity: Mapping[str, str], by_command: bool
    ) -> None:
        """The core's report of this build, and how to show it."""
        self.report, self.vault, self.severity = report, vault, severity
        self.by_command = by_command

    def log_all(self) -> None:
        """Log everything the report holds so far (what the core found)."""
        assert self.report is not None
        self.log_new(self.report.diagnostics)
        self.logged = len(self.report.diagnostics)

    def found_since(self) -> list[Diagnostic]:
        """What rendering pages reported since the last call (an embed cycle)."""
        assert self.report is not None
        found = self.report.diagnostics[self.logged :]
        self.logged = len(self.report.diagnostics)
        return found

    def log_new(self, found: list[Diagnostic]) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return  # 40,000 findings on a large vault: not written for nobody
        for diagnostic in with_severity(found, self.severity):
            self._log(diagnostic)

    def log_since(self) -> None:
        """Log what rendering a page reported."""
        self.log_new(self.found_since())

    def from_worker(self, found: list[Diagnostic]) -> None:
        """What a render worker's pages reported: into the report, and logged."""
        assert self.report is not None
        self.report.extend(found)
        self.log_since()

    def _log(self, diagnostic: Diagnostic) -> None:
        """One finding, at debug level (``-v``); `sum_up` sums them all up at the end."""
        path = self.vault / diagnostic.path
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        message = str(diagnostic).replace(diagnostic.path, shown, 1)
        log.debug(message, extra={"finding": diagnostic})

    def sum_up(self) -> None:
        """Every error and warning of the build in one warning, per code with two examples
        each, then one line counting the infos: what a build log shows of the findings."""
        assert self.report is not None
        self.summed_up = True
        found = with_severity(self.report.diagnostics, self.severity)
        failing = [d for d in found if d.level != "info"]
        self.failing = len(failing)
        command = self._list_command()
        if failing:
            counts = {
                level: sum(d.level == level for d in failing) for level in ("error", "warning")
            }
            head = " and ".join(plural(n, level) for level, n in counts.items() if n)
            notes = plural(len({d.path for d in failing}), "file")
            lines = grouped(failing)
            log.warning(
                f"{head} in {notes} of {quoted(self.vault)}; all of them: {command}\n"
                + "\n".join(f"  {line}" for line in lines),
                extra={"grouped": True},
            )
        if any(d.level == "info" for d in found):
            log.info(f"{count_by_code(found)}; all of them: {command}")

    def sum_up_failed(self) -> None:
        """A build that failed: what it found before, unless that was summed up already."""
        if self.report is not None and not self.summed_up:
            self.sum_up()

    def _list_command(self) -> str:
        """The commands that list every finding of this build, for its log."""
        if self.by_command:
            return f"notegraph check {quoted(self.vault)} (or this build with -v)"
        return "notegraph check (or mkdocs build -v)"


def quoted(path: Path) -> str:
    """A path as a shell reads it: relative to the working folder when inside it, quoted
    when it holds spaces or other special characters."""
    shown = os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)
    return shlex.quote(shown)

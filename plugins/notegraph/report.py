"""Findings about a vault: what is wrong, where, and how bad.

Every problem notegraph meets is a `Diagnostic` with the note's vault path and, where known,
the line and column. The build logs them; `--strict` turns warnings into a failing exit.

>>> report = Report()
>>> report.warn("a.md", "frontmatter is not valid YAML", line=3, code="yaml")
>>> print(report.diagnostics[0])
a.md:3: warning: frontmatter is not valid YAML [yaml]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, cast

__all__ = ["Diagnostic", "Report", "Level", "CODES", "SEVERITIES", "with_severity", "count_by_code"]

Level = Literal["error", "warning", "info"]
SEVERITIES = ("error", "warning", "info", "off")
"""What a severity map may set a code to; ``off`` drops the findings of that code."""

CODES: dict[str, Level] = {
    "ambiguous": "warning",
    "attachment": "warning",
    "duplicate-title": "warning",
    "embed-cycle": "warning",
    "empty": "warning",
    "encoding": "warning",
    "frontmatter": "warning",
    "heading": "warning",
    "hidden": "info",
    "html": "warning",
    "invisible": "warning",
    "io": "warning",
    "link": "warning",
    "missing-file": "warning",
    "name-collision": "warning",
    "raw-html": "warning",
    "symlink": "warning",
    "timestamp": "warning",
    "title": "warning",
    "unresolved": "info",
    "video": "warning",
}
"""Every code a finding may have, with its usual level (CONTRIBUTING.md describes each): the
keys a ``severity`` map may use."""


@dataclass(frozen=True, order=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    level: Level
    message: str
    code: str

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.level}: {self.message} [{self.code}]"


@dataclass
class Report:
    """Collects diagnostics, once each, in a stable order."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def add(
        self,
        level: Level,
        path: str,
        message: str,
        *,
        line: int = 0,
        col: int = 0,
        code: str = "note",
    ) -> None:
        diagnostic = Diagnostic(path, line, col, level, message, code)
        if diagnostic not in self._seen:
            self._seen.add(diagnostic)
            self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Add diagnostics found elsewhere (another report, another process), once each."""
        for d in diagnostics:
            self.add(d.level, d.path, d.message, line=d.line, col=d.col, code=d.code)

    def warn(
        self, path: str, message: str, *, line: int = 0, col: int = 0, code: str = "note"
    ) -> None:
        self.add("warning", path, message, line=line, col=col, code=code)

    def info(
        self, path: str, message: str, *, line: int = 0, col: int = 0, code: str = "note"
    ) -> None:
        self.add("info", path, message, line=line, col=col, code=code)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics)

    def count(self, level: Level) -> int:
        return sum(1 for d in self.diagnostics if d.level == level)


def with_severity(
    diagnostics: Iterable[Diagnostic], severity: Mapping[str, str]
) -> list[Diagnostic]:
    """The diagnostics with their level set by `severity` (code -> level or ``off``), sorted.

    One rule set for the build's log and ``notegraph check``: both pass the plugin's
    ``severity`` option through here.

    >>> found = [Diagnostic("a.md", 2, 1, "warning", "x", "ambiguous"),
    ...          Diagnostic("a.md", 1, 0, "info", "y", "hidden")]
    >>> [str(d) for d in with_severity(found, {"ambiguous": "error", "hidden": "off"})]
    ['a.md:2:1: error: x [ambiguous]']
    """
    out = []
    for diagnostic in diagnostics:
        level = severity.get(diagnostic.code, diagnostic.level)
        if level == "off":
            continue
        if level not in SEVERITIES:
            raise ValueError(f"severity of '{diagnostic.code}' must be one of {SEVERITIES}")
        out.append(replace(diagnostic, level=cast(Level, level)))
    return sorted(set(out))


def count_by_code(diagnostics: Iterable[Diagnostic], level: Level = "info") -> str:
    """How many findings of `level` there are, per code: a summary line for the many infos.

    >>> found = [Diagnostic("a.md", 1, 0, "info", "x", "unresolved"),
    ...          Diagnostic("b.md", 1, 0, "info", "y", "unresolved"),
    ...          Diagnostic(".c.md", 0, 0, "info", "z", "hidden")]
    >>> count_by_code(found)
    '3 infos (hidden: 1, unresolved: 2)'
    """
    counts: dict[str, int] = {}
    for diagnostic in diagnostics:
        if diagnostic.level == level:
            counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
    total = sum(counts.values())
    per_code = ", ".join(f"{code}: {counts[code]}" for code in sorted(counts))
    return f"{total} {level}{'s' * (total != 1)} ({per_code})" if total else ""

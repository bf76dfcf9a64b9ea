"""Findings about a vault: what is wrong, where, and how bad.

Every problem notegraph meets is a `Diagnostic` with the note's vault path and, where known,
the line and column. The build logs them; `--strict` turns warnings into a failing exit.

>>> report = Report()
>>> report.warn("a.md", "frontmatter is not valid YAML", line=3, code="yaml")
>>> print(report.diagnostics[0])
a.md:3: warning: frontmatter is not valid YAML [yaml]
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Literal, cast

from notegraph.core.base.pickling import by_fields

__all__ = [
    "Diagnostic",
    "Report",
    "Level",
    "CODES",
    "SEVERITIES",
    "with_severity",
    "count_by_code",
    "grouped",
    "plural",
    "by_severity",
]

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
    "id": "warning",
    "internal": "error",
    "invisible": "warning",
    "io": "warning",
    "limit": "warning",
    "link": "warning",
    "markdown": "warning",
    "missing-file": "warning",
    "name-collision": "warning",
    "raw-html": "warning",
    "svg": "warning",
    "symlink": "warning",
    "timestamp": "warning",
    "title": "warning",
    "unresolved": "info",
    "video": "warning",
}
"""Every code a finding may have, with its usual level (CONTRIBUTING.md describes each): the
keys a ``severity`` map may use."""


@by_fields
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


_FIELDS = operator.attrgetter(*(f.name for f in fields(Diagnostic)))
"""A finding's fields in order: a sort key that orders findings as `Diagnostic` does."""


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
    out = set()
    for diagnostic in diagnostics:
        level = severity.get(diagnostic.code, diagnostic.level)
        if level == diagnostic.level:
            out.add(diagnostic)
            continue
        if level == "off":
            continue
        if level not in SEVERITIES:
            raise ValueError(f"severity of '{diagnostic.code}' must be one of {SEVERITIES}")
        out.add(replace(diagnostic, level=cast(Level, level)))
    return sorted(out, key=_FIELDS)  # the fields' tuple: `Diagnostic`'s order, made faster


LEVELS: tuple[Level, ...] = ("error", "warning", "info")
"""The levels, most severe first."""


def by_severity(diagnostic: Diagnostic) -> tuple[int, Diagnostic]:
    """Sort key: errors first, then warnings, then infos; by path, line and column within.

    >>> found = [Diagnostic("a.md", 1, 0, "info", "x", "c"), Diagnostic("b.md", 1, 0, "error", "y", "c")]
    >>> [d.path for d in sorted(found, key=by_severity)]
    ['b.md', 'a.md']
    """  # noqa: E501
    return LEVELS.index(diagnostic.level), diagnostic


def plural(count: int, word: str, words: str | None = None) -> str:
    """A count and the word that goes with it, for every message a user reads.

    >>> plural(1, "note"), plural(1026, "note"), plural(0, "warning"), plural(2, "entry", "entries")
    ('1 note', '1,026 notes', '0 warnings', '2 entries')
    """
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


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
    return f"{plural(total, level)} ({per_code})" if total else ""


def _examples(diagnostics: list[Diagnostic], count: int) -> list[Diagnostic]:
    """`count` of the diagnostics, from as many different notes as there are."""
    chosen: list[Diagnostic] = []
    for d in diagnostics:  # one per note first
        if len(chosen) < count and all(c.path != d.path for c in chosen):
            chosen.append(d)
    for d in diagnostics:
        if len(chosen) < count and d not in chosen:
            chosen.append(d)
    return sorted(chosen)


def grouped(diagnostics: Iterable[Diagnostic], examples: int = 2) -> list[str]:
    """The errors and warnings summed up per code (errors first, then the most frequent),
    each with `examples` of its findings: what a build prints instead of every one.

    >>> found = [Diagnostic(p, n, 1, "warning", f"bad {n}", "raw-html") for p, n in
    ...          [("a.md", 3), ("a.md", 9), ("b.md", 2)]]
    >>> found.append(Diagnostic("c.md", 1, 0, "error", "ambiguous", "ambiguous"))
    >>> print("\\n".join(grouped(found)))
    ambiguous: 1 error
      c.md:1: ambiguous
    raw-html: 3 warnings
      a.md:3:1: bad 3
      b.md:2:1: bad 2
      ... and 1 more
    """
    by_code: dict[tuple[str, str], list[Diagnostic]] = {}
    for d in sorted(diagnostics):
        if d.level != "info":
            by_code.setdefault((d.level, d.code), []).append(d)
    order = sorted(by_code, key=lambda k: (k[0] != "error", -len(by_code[k]), k[1]))
    lines = []
    for level, code in order:
        found = by_code[(level, code)]
        lines.append(f"{code}: {plural(len(found), level)}")
        for d in _examples(found, examples):
            where = f"{d.path}:{d.line}" + (f":{d.col}" if d.col else "") if d.line else d.path
            lines.append(f"  {where}: {d.message}")
        if len(found) > examples:
            lines.append(f"  ... and {len(found) - examples:,} more")
    return lines

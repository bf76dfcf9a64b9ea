"""No single note stops a build: each step of each note runs under `guarded`.

A vault holds thousands of notes written by strangers, and notegraph has bugs like any
program. Every per-note and per-page step (reading, linking, the sentence around a link,
a note's moments, writing a page, rendering it, sanitizing it, its local graph) runs under
`guarded`: an unexpected exception becomes an error (code ``internal``) that names the note,
and the step's fallback takes its place (a page then shows the note as plain text,
`pages.fallback_html`). The build goes on; ``--strict`` makes it fail at the end.

Python-Markdown runs inside MkDocs (`Page.render`), out of notegraph's hands:
`GuardExtension`, added to the site's Markdown extensions, makes each page's conversion
return an escaped copy of its source instead of raising, and keeps what went wrong for the
plugin to report (`render_failures`).

>>> report = Report()
>>> guarded(report, "a.md", "count the words", lambda: 1 // 0, lambda: 0,
...         outcome="the count is zero")
0
>>> print(report.diagnostics[0])  # doctest: +ELLIPSIS
a.md: error: notegraph could not count the words (ZeroDivisionError: integer division or modulo by zero at ...); the count is zero. This is a bug of notegraph: please report it [internal]
"""  # noqa: E501

from __future__ import annotations

import html
import traceback
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

from markdown import Extension, Markdown

from notegraph.core.base.report import Report

__all__ = [
    "guarded",
    "report_failure",
    "describe",
    "GuardExtension",
    "render_failures",
    "makeExtension",
]

T = TypeVar("T")

_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)


def describe(error: BaseException) -> str:
    """The exception in one line: its type, its message (cut) and where it was raised.

    >>> try:
    ...     [][1]
    ... except IndexError as error:
    ...     print(describe(error))  # doctest: +ELLIPSIS
    IndexError: list index out of range at <doctest ...>:2
    """
    text = " ".join(str(error).split())
    text = f": {text[:200]}" if text else ""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {PurePath(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{text}{where}"


def guarded(
    report: Report,
    path: str,
    step: str,
    run: Callable[[], T],
    fallback: Callable[[], T],
    *,
    outcome: str,
    line: int = 0,
) -> T:
    """``run()``; if it raises, an error about the note at `path` (which could not `step`,
    and `outcome` says what readers get instead), then ``fallback()``.

    Any exception is caught (Rust libraries raise a `BaseException` on a panic), but an
    interrupt or an exit, which are the user's.
    """
    try:
        return run()
    except _PASS_THROUGH:
        raise
    except BaseException as error:  # noqa: BLE001 - whatever it is, one note must not stop the build
        report_failure(report, path, step, describe(error), outcome=outcome, line=line)
        return fallback()


def report_failure(
    report: Report, path: str, step: str, what: str, *, outcome: str, line: int = 0
) -> None:
    """The error `guarded` reports: `what` went wrong (`describe`) when notegraph tried to
    `step` for the note at `path`, and `outcome` says what readers get instead."""
    report.add(
        "error",
        path,
        f"notegraph could not {step} ({what}); {outcome}. "
        "This is a bug of notegraph: please report it",
        line=line,
        code="internal",
    )


# --- Python-Markdown, as MkDocs runs it ----------------------------------------------------


_failures: list[str] = []


def render_failures() -> list[str]:
    """What went wrong converting pages since the last call (`describe` of each error)."""
    found = _failures[:]
    _failures.clear()
    return found


def _safe_convert(md: Markdown, convert: Callable[[str], str], source: str) -> str:
    try:
        return convert(source)
    except _PASS_THROUGH:
        raise
    except BaseException as error:  # noqa: BLE001 - see `guarded`
        _failures.append(describe(error))
        md.reset()
        return f'<pre class="ng-fallback">{html.escape(source, quote=False)}</pre>'


class GuardExtension(Extension):
    """Makes a Markdown converter return the escaped source of a text it fails on
    (a RecursionError on a deep nesting, a bug of an extension), and keep the failure."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        convert = md.convert
        md.convert = lambda source: _safe_convert(md, convert, source)  # type: ignore[method-assign]


def makeExtension(**kwargs: Any) -> GuardExtension:  # noqa: N802 (Python-Markdown's name)
    return GuardExtension(**kwargs)

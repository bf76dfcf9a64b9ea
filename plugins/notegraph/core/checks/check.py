"""Lint a vault without building the site: what ``notegraph check`` reports.

`check_vault` runs what the build runs, on the vault alone: reading (`load_vault`), linking
(`link_vault`) and the vault-wide rules (`rules.apply_rules`), so that the check and the
build report the same findings (frontmatter, videos, timestamps, unsafe HTML, attachments,
ambiguous links, missing headings and files, duplicate titles, name collisions, invisible
characters, malformed links, raw HTML...). What only a contributor needs is added here:
"did you mean" suggestions for links that match no note (code ``unresolved``, info; an
error with ``--no-topics``). What only a build can know (an embed cycle, an attachment
whose place a page takes) is the build's.

The plugin's ``severity`` option (code -> ``error``/``warning``/``info``/``off``) then sets
the level of every finding, for the build and for the check alike (`report.with_severity`).

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as vault:
...     _ = (Path(vault) / "amazon.md").write_text("---\\ntitle: Amazon\\n---\\nSee [[Amazn]].\\n")
...     for diagnostic in check_vault(Path(vault)):
...         print(diagnostic)
amazon.md:4:5: info: 'Amazn' matches no note; it gets a topic page. Did you mean 'Amazon' (amazon.md)? [unresolved]
"""  # noqa: E501

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from notegraph.core.base import progress
from notegraph.core.base.names import Key, fold
from notegraph.core.base.parallel import map_forked
from notegraph.core.base.report import Diagnostic, Report, by_severity, count_by_code, with_severity
from notegraph.core.checks.rules import apply_rules
from notegraph.core.linker.links import Shown as LinkShown
from notegraph.core.linker.links import link_vault, safe_moments
from notegraph.core.vault import anchors
from notegraph.core.vault.notes import Note, Slugify, load_vault

__all__ = [
    "CheckOptions",
    "check_vault",
    "format_text",
    "format_github",
    "format_json",
    "suggest",
]

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 85
"""Least `rapidfuzz.fuzz.ratio` (0-100) of the folded names for a "did you mean"."""


@dataclass(frozen=True)
class CheckOptions:
    topics: bool = True
    """Links that match no note become topic pages (info); False makes them errors."""
    require_title: bool = False
    severity: Mapping[str, str] = field(default_factory=dict)
    """Level per code, as the plugin's ``severity`` option."""
    slugify: Slugify = anchors.slugify
    workers: int = 1
    """Processes that parse and link the notes (`parallel.map_forked`)."""


def check_vault(root: Path, options: CheckOptions | None = None) -> list[Diagnostic]:
    """Every finding about the vault at `root`, levels set by the severity map, sorted."""
    options = options or CheckOptions()
    report = Report()
    with progress.phase("read", "note"):
        vault = load_vault(root, report, options.slugify, options.workers)
    with progress.phase("link", "note", total=len(vault.notes)):
        links = link_vault(vault, report, workers=options.workers)
        videos = [note for note in vault.notes.values() if note.video and note.video.youtube]
        for found in map_forked(  # what the build's video pages read: the same failures
            lambda note: _moment_failures(note, links.shown_in(note.id)), videos, options.workers
        ):
            report.extend(found)
    names: list[_Names] = []  # built at the first link that matches no note

    def did_you_mean(target: str) -> str:
        if not names:
            names.append(_Names(vault.notes.values()))
        return _did_you_mean(names[0], target)

    apply_rules(
        vault, links, report, require_title=options.require_title, did_you_mean=did_you_mean
    )
    severity = dict(options.severity)
    if not options.topics:
        severity["unresolved"] = "error"
    return with_severity(report.diagnostics, severity)


def _moment_failures(note: Note, shown: LinkShown) -> list[Diagnostic]:
    """What finding the moments of a note reports (`links.safe_moments`)."""
    own = Report()
    safe_moments(note, shown, own)
    return own.diagnostics


# --- suggestions for links that match no note -----------------------------------------------


class _Names:
    """Titles and file names of the notes, folded, for fuzzy matching."""

    def __init__(self, notes: Iterable[Note]) -> None:
        self.owner: dict[Key, list[Note]] = defaultdict(list)
        for note in sorted(notes, key=lambda n: n.id):
            for name in (note.title, note.stem):
                if note not in self.owner[fold(name)]:
                    self.owner[fold(name)].append(note)
        self.keys = list(self.owner)
        self._cache: dict[Key, list[Note]] = {}

    def near(self, target: str) -> list[Note]:
        key = fold(target)
        if key not in self._cache:
            found: list[Note] = []
            for name, _, _ in process.extract(
                key, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=SUGGESTION_CUTOFF
            ):
                for note in self.owner[name]:
                    if note not in found:
                        found.append(note)
            self._cache[key] = found[:SUGGESTIONS]
        return self._cache[key]


def suggest(target: str, notes: Iterable[Note]) -> list[str]:
    """Notes whose title or file name is close to `target`, best first, as shown to users.

    >>> from notegraph.core.vault.notes import parse_note
    >>> notes = [parse_note("pm/working_backwards.md", "# Working backwards\\n")]
    >>> suggest("Working backward", notes), suggest("Amazon", notes)
    (["'Working backwards' (pm/working_backwards.md)"], [])
    """
    return [f"'{note.title}' ({note.id})" for note in _Names(notes).near(target)]


def _did_you_mean(names: _Names, target: str) -> str:
    near = [f"'{note.title}' ({note.id})" for note in names.near(target)]
    if not near:
        return ""
    return (
        " Did you mean "
        + (", ".join(near[:-1]) + " or " if len(near) > 1 else "")
        + (near[-1] + "?")
    )


# --- output ---------------------------------------------------------------------------------


Shown = Callable[[str], str]
"""Maps a diagnostic's vault path to the path printed (relative to the working folder)."""


def format_text(diagnostics: Sequence[Diagnostic], shown: Shown = str) -> str:
    """``path:line:col: level: message [code]``, one per line (`Diagnostic.__str__`), in
    the order given (``notegraph check`` gives errors first, then warnings, then infos)."""
    return "".join(str(d).replace(d.path, shown(d.path), 1) + "\n" for d in diagnostics)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(
    diagnostics: Sequence[Diagnostic], shown: Shown = str, verbose: bool = False
) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=T::message``.

    Errors and warnings are annotations on their lines. GitHub shows only about ten
    annotations of each level per step, so infos (links to topic pages, mostly) are summed
    up in one ``::notice`` line, per code, unless `verbose`. Escaping follows
    `@actions/core`: ``%``, CR and LF in the message; also ``:`` and ``,`` in properties.

    >>> found = [Diagnostic("a,b.md", 3, 5, "warning", "50% done:\\nyes", "x"),
    ...          Diagnostic("c.md", 1, 1, "info", "no note", "unresolved")]
    >>> print(format_github(found), end="")
    ::warning file=a%2Cb.md,line=3,col=5,title=notegraph x::50%25 done:%0Ayes
    ::notice title=notegraph infos::1 info (unresolved: 1), not annotated one by one: notegraph check lists them
    >>> print(format_github(found, verbose=True), end="")
    ::warning file=a%2Cb.md,line=3,col=5,title=notegraph x::50%25 done:%0Ayes
    ::notice file=c.md,line=1,col=1,title=notegraph unresolved::no note
    """  # noqa: E501
    out = []
    for d in diagnostics:
        if d.level == "info" and not verbose:
            continue
        props = [f"file={_escape_property(shown(d.path))}"]
        if d.line:
            props.append(f"line={d.line}")
            if d.col:
                props.append(f"col={d.col}")
        props.append(f"title={_escape_property(f'notegraph {d.code}')}")
        out.append(f"::{_GITHUB_LEVEL[d.level]} {','.join(props)}::{_escape_data(d.message)}\n")
    infos = count_by_code(diagnostics)
    if infos and not verbose:
        summary = f"{infos}, not annotated one by one: notegraph check lists them"
        out.append(f"::notice title=notegraph infos::{_escape_data(summary)}\n")
    return "".join(out)


def format_json(diagnostics: Sequence[Diagnostic], shown: Shown = str) -> str:
    """A JSON list of {path, line, col, level, code, message}: errors, then warnings, then
    infos, each by path (as ``notegraph check`` orders the text)."""
    rows = [
        {
            "path": shown(d.path),
            "line": d.line,
            "col": d.col,
            "level": d.level,
            "code": d.code,
            "message": d.message,
        }
        for d in sorted(diagnostics, key=by_severity)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": format_text, "github": format_github, "json": format_json}

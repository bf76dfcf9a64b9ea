"""Lint a vault without building the site: what ``notegraph check`` reports.

`check_vault` runs the core's own reading and linking (`load_vault`, `link_vault`), whose
findings (frontmatter, videos, timestamps, unsafe HTML, ambiguous links, missing headings and
files...) it keeps as they are, then adds what only a contributor needs to hear about:

========================  =======  ====================================================
code                      level    finding
========================  =======  ====================================================
``unresolved``            info     a wikilink that matches no note (it becomes a topic
                                   page), with "did you mean" suggestions; ``error``
                                   with ``--no-topics``
``title``                 warning  no ``title`` in the frontmatter (``require_title``)
``duplicate-title``       warning  two notes with the same title (after `names.fold`)
``name-collision``        warning  two files whose paths differ only by case, or are equal
                                   after `names.fold`
``invisible``             warning  an invisible or control character in a file name, a
                                   title, an alias or a link
``raw-html``              warning  raw HTML the site keeps but notes should not need
                                   (anything but timestamp anchors, ``<br>`` and inline
                                   formatting)
========================  =======  ====================================================

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
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify as toc_slugify
from rapidfuzz import fuzz, process

from .links import Links, link_vault
from .names import Key, fold, fold_path
from .notes import NOTE_SUFFIXES, Note, Slugify, Vault, load_vault
from .report import Diagnostic, Report, with_severity
from .wikilinks import LineIndex

__all__ = [
    "CheckOptions",
    "check_vault",
    "CODES",
    "ALLOWED_TAGS",
    "format_text",
    "format_github",
    "format_json",
    "suggest",
]

CODES = {
    "unresolved": "info",
    "title": "warning",
    "duplicate-title": "warning",
    "name-collision": "warning",
    "invisible": "warning",
    "raw-html": "warning",
}
"""The codes `check_vault` adds to the core's, with their default level."""

ALLOWED_TAGS = frozenset({
    "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "hr", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var", "wbr",
})  # fmt: skip
"""Raw HTML a note may hold besides the timestamp anchor ``<a class="yt-timestamp">``."""

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 85
"""Least `rapidfuzz.fuzz.ratio` (0-100) of the folded names for a "did you mean"."""

_RAW_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b([^<>]*)>")
_STAMP_CLASS = re.compile(r"""\bclass\s*=\s*["']?[^"'>]*\byt-timestamp\b""", re.IGNORECASE)
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


@dataclass(frozen=True)
class CheckOptions:
    topics: bool = True
    """Links that match no note become topic pages (info); False makes them errors."""
    require_title: bool = False
    severity: Mapping[str, str] = field(default_factory=dict)
    """Level per code, as the plugin's ``severity`` option."""
    slugify: Slugify = toc_slugify


def check_vault(root: Path, options: CheckOptions | None = None) -> list[Diagnostic]:
    """Every finding about the vault at `root`, levels set by the severity map, sorted."""
    options = options or CheckOptions()
    report = Report()
    vault = load_vault(root, report, options.slugify)
    links = link_vault(vault, report)
    _unresolved(vault, links, report)
    _titles(vault, report, options.require_title)
    _names(vault, report)
    _invisible(vault, report)
    _raw_html(vault, report)
    severity = dict(options.severity)
    if not options.topics:
        severity["unresolved"] = "error"
    return with_severity(report.diagnostics, severity)


# --- unresolved links and suggestions ------------------------------------------------------


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

    >>> from notegraph.notes import parse_note
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


def _unresolved(vault: Vault, links: Links, report: Report) -> None:
    names = _Names(vault.notes.values())
    for note in vault.notes.values():
        for link in note.links:
            target = links.targets.get((note.id, link.start))
            if target is None or target.resolution.topic is None or link.markdown:
                continue  # Markdown links to nowhere are the core's `missing-file`
            line, col = note.position(link.start)
            report.info(
                note.id,
                f"'{_shown(link.target)}' matches no note; it gets a topic page."
                + _did_you_mean(names, link.target),
                line=line,
                col=col,
                code="unresolved",
            )


# --- titles and names ----------------------------------------------------------------------


def _key_line(root: Path, note: Note, key: str) -> int:
    """Line of a frontmatter key in the note's file (1 when it has none, or is unreadable)."""
    if key not in note.meta or note.body_line <= 1:
        return 1
    try:
        with (root / note.id).open(encoding="utf-8", errors="replace") as file:
            head = [next(file, "") for _ in range(note.body_line - 1)]
    except OSError:
        return 1
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    return next((i for i, text in enumerate(head, start=1) if pattern.match(text)), 1)


def _missing_title(note: Note) -> bool:
    value = note.meta.get("title")
    return value is None or (isinstance(value, str) and not value.strip())


def _titles(vault: Vault, report: Report, require_title: bool) -> None:
    by_title: dict[Key, list[Note]] = defaultdict(list)
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        by_title[fold(note.title)].append(note)
        if require_title and _missing_title(note):
            report.warn(
                note.id,
                f"no 'title' in the frontmatter (the page is titled '{_shown(note.title)}')",
                line=1,
                code="title",
            )
    for same in by_title.values():
        for note in same[1:]:
            report.warn(
                note.id,
                f"title '{_shown(note.title)}' is also the title of {same[0].id}; "
                "links by title go to one of them",
                line=_key_line(vault.root, note, "title"),
                code="duplicate-title",
            )


def _strip_suffix(path: str) -> str:
    lowered = path.lower()
    return next((path[: -len(s)] for s in NOTE_SUFFIXES if lowered.endswith(s)), path)


def _names(vault: Vault, report: Report) -> None:
    paths = sorted([*vault.notes, *vault.attachments])
    by_case: dict[str, list[str]] = defaultdict(list)
    by_fold: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_case[path.casefold()].append(path)
        is_note = path.lower().endswith(NOTE_SUFFIXES)
        by_fold[("note:" if is_note else "file:") + fold_path(_strip_suffix(path))].append(path)
    told: set[str] = set()
    for same in by_case.values():
        for path in same[1:]:
            told.add(path)
            report.warn(
                path,
                f"file name differs from {same[0]} only by case; the two are one file "
                "on Windows and macOS",
                code="name-collision",
            )
    for same in by_fold.values():
        for path in same[1:]:
            if path not in told:
                report.warn(
                    path,
                    f"file name is the same as {same[0]} once case, spaces and punctuation "
                    "are ignored; links cannot tell them apart",
                    code="name-collision",
                )


# --- invisible characters ------------------------------------------------------------------


def _invisible_chars(text: str) -> list[tuple[int, str]]:
    """(index, description) of each invisible or control character in `text`.

    >>> _invisible_chars("Ian\\u200bM\\tx")
    [(3, 'U+200B ZERO WIDTH SPACE'), (5, 'U+0009 CHARACTER TABULATION')]
    """
    found = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "CONTROL CHARACTER")
            found.append((i, f"U+{ord(ch):04X} {name}"))
    return found


_CONTROL_NAMES = {
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
}


def _shown(text: str) -> str:
    """`text` with invisible characters written as escapes, so a message shows them."""
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch
        for ch in text
    )


def _invisible(vault: Vault, report: Report) -> None:
    for path in sorted([*vault.notes, *vault.attachments]):
        for _, what in _invisible_chars(path):
            report.warn(path, f"file name contains {what}", code="invisible")
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        for key, values in (("title", [note.title]), ("aliases", list(note.aliases))):
            for value in values:
                for _, what in _invisible_chars(value):
                    report.warn(
                        note.id,
                        f"{key[:-2] if key == 'aliases' else key} '{_shown(value)}' "
                        f"contains {what}",
                        line=_key_line(vault.root, note, key),
                        code="invisible",
                    )
        for link in note.links:
            raw = note.body[link.start : link.end]
            for index, what in _invisible_chars(raw):
                line, col = note.position(link.start + index)
                report.warn(
                    note.id,
                    f"link '{_shown(raw)}' contains {what}",
                    line=line,
                    col=col,
                    code="invisible",
                )


# --- raw HTML ------------------------------------------------------------------------------


def _raw_html(vault: Vault, report: Report) -> None:
    """Tags the sanitizer keeps but notes should not need; the unsafe ones are the core's."""
    from .sanitize import TAGS  # what the site keeps; anything else is reported as `html`

    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        if note.masked is None or "<" not in note.masked.masked:
            continue
        lines = LineIndex(note.body, note.body_line)
        for match in _RAW_TAG.finditer(note.masked.masked):
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if closing or name in ALLOWED_TAGS or name not in TAGS:
                continue
            if name == "a" and _STAMP_CLASS.search(attrs):
                continue
            line, col = lines.position(match.start())
            what = "<a> that is not a timestamp anchor" if name == "a" else f"<{name}>"
            report.warn(
                note.id,
                f"raw HTML {what}; notes use Markdown, timestamp anchors, <br> and "
                "inline formatting only",
                line=line,
                col=col,
                code="raw-html",
            )


# --- output ---------------------------------------------------------------------------------


Shown = Callable[[str], str]
"""Maps a diagnostic's vault path to the path printed (relative to the working folder)."""


def format_text(diagnostics: Sequence[Diagnostic], shown: Shown = str) -> str:
    """``path:line:col: level: message [code]``, one per line (`Diagnostic.__str__`)."""
    return "".join(str(d).replace(d.path, shown(d.path), 1) + "\n" for d in diagnostics)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(diagnostics: Sequence[Diagnostic], shown: Shown = str) -> str:
    """GitHub Actions workflow commands: ``::error file=F,line=L,col=C,title=T::message``.

    Escaping follows `@actions/core`: ``%``, CR and LF in the message; also ``:`` and ``,``
    in properties.

    >>> print(format_github([Diagnostic("a,b.md", 3, 5, "info", "50% done:\\nyes", "x")]), end="")
    ::notice file=a%2Cb.md,line=3,col=5,title=notegraph x::50%25 done:%0Ayes
    """
    out = []
    for d in diagnostics:
        props = [f"file={_escape_property(shown(d.path))}"]
        if d.line:
            props.append(f"line={d.line}")
            if d.col:
                props.append(f"col={d.col}")
        props.append(f"title={_escape_property(f'notegraph {d.code}')}")
        out.append(f"::{_GITHUB_LEVEL[d.level]} {','.join(props)}::{_escape_data(d.message)}\n")
    return "".join(out)


def format_json(diagnostics: Sequence[Diagnostic], shown: Shown = str) -> str:
    """A JSON list of {path, line, col, level, code, message}, sorted like the text."""
    rows = [
        {
            "path": shown(d.path),
            "line": d.line,
            "col": d.col,
            "level": d.level,
            "code": d.code,
            "message": d.message,
        }
        for d in sorted(diagnostics)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": format_text, "github": format_github, "json": format_json}

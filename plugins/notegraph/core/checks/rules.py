"""The vault-wide rules: one place that defines what the build logs and ``notegraph check``
prints, besides what reading (`notes.load_vault`) and linking (`links.link_vault`) report.

`apply_rules` runs on a read and linked vault, in the build (`site.build_site`) and in the
check (`check.check_vault`) alike, and adds:

========================  =======  ====================================================
code                      level    finding
========================  =======  ====================================================
``unresolved``            info     a wikilink that matches no note (it becomes a topic
                                   page); the check adds "did you mean" suggestions
``title``                 warning  no ``title`` in the frontmatter (``require_title``)
``duplicate-title``       warning  two notes with the same title (after `names.fold`)
``name-collision``        warning  two files whose paths differ only by case, or are equal
                                   after `names.fold`
``invisible``             warning  an invisible or control character in a file name, a
                                   title, an alias or a link
``link``                  warning  a wikilink that is empty (``[[]]``, ``[[|]]``), never
                                   closed (``[[`` alone on its line), or a URL
                                   (``[[javascript:...]]``, ``[[https://...]]``)
``raw-html``              warning  raw HTML the site keeps but notes should not need
                                   (anything but timestamp anchors, ``<br>`` and inline
                                   formatting)
``empty``                 warning  a vault with no note at all (the site would be empty):
                                   what was looked for, and what was found instead
``markdown``              warning  what Obsidian would not render as meant: a code fence
                                   never closed, a footnote reference with no definition
``heading``               warning  a link to a block ``^id`` the note does not have
                                   (headings are `links.link_vault`'s)
========================  =======  ====================================================

The plugin's ``severity`` option (code -> ``error``/``warning``/``info``/``off``) then sets
the level of every finding, for the build and the check alike (`report.with_severity`).

>>> from notegraph.core.linker.links import link_vault
>>> from notegraph.core.vault.notes import parse_note
>>> note = parse_note("a.md", "---\\ntitle: A\\n---\\nSee [[]] and [[javascript:alert(1)]].\\n")
>>> report = Report()
>>> vault = Vault(Path("."), {note.id: note}, [])
>>> apply_rules(vault, link_vault(vault, report), report)
>>> for diagnostic in report.sorted():
...     print(diagnostic)
a.md:4:5: warning: empty link '[[]]' names no note; it stays text [link]
a.md:4:14: info: 'javascript:alert(1)' matches no note; it gets a topic page. [unresolved]
a.md:4:14: warning: link '[[javascript:alert(1)]]' is a 'javascript:' URL, not a note; it gets a topic page [link]
"""  # noqa: E501

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from notegraph.core.base.names import Key, NoteId, fold, fold_path
from notegraph.core.base.report import Diagnostic, Report
from notegraph.core.linker.links import Links
from notegraph.core.vault import scan
from notegraph.core.vault.notes import NOTE_SUFFIXES, Note, Vault
from notegraph.core.vault.notestore import NoteStore
from notegraph.core.vault.sanitize import kept_element, raw_tags

__all__ = ["apply_rules", "ALLOWED_TAGS", "invisible_chars", "shown"]

ALLOWED_TAGS = frozenset({
    "abbr", "b", "br", "cite", "code", "del", "dfn", "em", "hr", "i", "ins", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var", "wbr",
})  # fmt: skip
"""Raw HTML a note may hold besides the timestamp anchor ``<a class="yt-timestamp">``."""

DidYouMean = Callable[[str], str]
"""A link target -> text appended to its `unresolved` message (" Did you mean ...?" or "")."""

_TIMESTAMP_CLASS = re.compile(r"\byt-timestamp\b")
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
_JOINERS = {"\u200c", "\u200d"}
_WIKILINK = re.compile(r"!?\[\[([^\[\]\n]*)\]\]")
_OPEN, _CLOSE = re.compile(r"\[\["), re.compile(r"\]\]")
_SCRIPT_TARGET = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_WEB_TARGET = re.compile(r"^(?:https?|ftp)://", re.IGNORECASE)


def apply_rules(
    vault: Vault,
    links: Links,
    report: Report,
    *,
    require_title: bool = False,
    did_you_mean: DidYouMean | None = None,
    store: NoteStore | None = None,
) -> None:
    """Report every finding of the rules above about a read and linked vault; the rules
    about one note alone (`NOTE_RULES`) are taken from `store` for a note whose text an
    earlier build checked."""
    _empty(vault, report)
    _unresolved(vault, links, report, did_you_mean)
    _titles(vault, report, require_title)
    _names(vault, report)
    _invisible(vault, report)
    found = _note_findings(vault, store)
    for rule in range(len(NOTE_RULES)):  # rule by rule, as the rules of the vault
        for note_id in sorted(vault.notes):
            report.extend(found[note_id][rule])
    _block_links(vault, links, report)


def _note_findings(
    vault: Vault, store: NoteStore | None
) -> dict[NoteId, tuple[tuple[Diagnostic, ...], ...]]:
    """What each rule of `NOTE_RULES` finds in each note, from `store` where it has it."""
    stored = store.load(vault.notes) if store is not None else {}
    found: dict[NoteId, tuple[tuple[Diagnostic, ...], ...]] = {}
    for note_id, note in vault.notes.items():
        entry = stored.get(note_id)
        if entry is not None and entry[0] == vault.digests.get(note_id):
            found[note_id] = entry[1]
            continue
        findings = []
        for rule in NOTE_RULES:
            own = Report()
            rule(note, own)
            findings.append(tuple(own.diagnostics))
        found[note_id] = tuple(findings)
    if store is not None:
        store.save({n: (vault.digests.get(n, ""), found[n], ()) for n in vault.notes})
    return found


def _empty(vault: Vault, report: Report) -> None:
    """A vault without notes: say what a note is, and what the folder holds instead.

    >>> report = Report()
    >>> _empty(Vault(Path("."), {}, ["a.png"], {"b.html": "not published"}), report)
    >>> print(report.diagnostics[0])
    .: warning: no notes found: a note is a file ending in .md or .markdown, outside hidden folders (names starting with '.'); the folder holds 2 other files [empty]
    """  # noqa: E501
    if vault.notes:
        return
    others = len(vault.attachments) + len(vault.unpublished)
    found = f"{others} other file{'s' * (others != 1)}" if others else "no other file"

    report.warn(
        ".",
        f"no notes found: a note is a file ending in {' or '.join(NOTE_SUFFIXES)}, outside "
        f"hidden folders (names starting with '.'); the folder holds {found}",
        code="empty",
    )


# --- unresolved links ------------------------------------------------------------------------


def _unresolved(
    vault: Vault, links: Links, report: Report, did_you_mean: DidYouMean | None
) -> None:
    for note in vault.notes.values():
        for link in note.links:
            target = links.targets.get((note.id, link.start))
            if target is None or target.resolution.topic is None or link.markdown:
                continue  # Markdown links to nowhere are `link_vault`'s `missing-file`
            line, col = note.position(link.start)
            report.info(
                note.id,
                f"'{shown(link.target)}' matches no note; it gets a topic page."
                + (did_you_mean(link.target) if did_you_mean else ""),
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


def _title_line(root: Path, note: Note) -> int:
    """Where the note's title is written: its frontmatter key, its first heading, or nowhere
    (0: the title is the file name)."""
    value = note.meta.get("title")
    written = value is not None and not isinstance(value, bool | list | dict)
    if written and str(value).strip() == note.title:
        return _key_line(root, note, "title")
    heading = next((h for h in note.headings if h.level == 1 and h.text), None)
    if heading is not None and heading.text == note.title:
        return heading.line
    return 0


def _missing_title(note: Note) -> bool:
    value = note.meta.get("title")
    return value is None or (isinstance(value, str) and not value.strip())


def _strip_suffix(path: str) -> str:
    lowered = path.lower()
    return next((path[: -len(s)] for s in NOTE_SUFFIXES if lowered.endswith(s)), path)


def _same_file_name(a: Note, b: Note) -> bool:
    """Both titled by their file names, which `_names` already reports as colliding."""
    return (
        a.title == a.stem
        and b.title == b.stem
        and fold_path(_strip_suffix(a.id)) == fold_path(_strip_suffix(b.id))
    )


def _titles(vault: Vault, report: Report, require_title: bool) -> None:
    by_title: dict[Key, list[Note]] = defaultdict(list)
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        by_title[fold(note.title)].append(note)
        if require_title and _missing_title(note):
            report.warn(
                note.id,
                f"no 'title' in the frontmatter (the page is titled '{shown(note.title)}')",
                line=1,
                code="title",
            )
    for same in by_title.values():
        for note in same[1:]:
            if _same_file_name(note, same[0]):
                continue
            report.warn(
                note.id,
                f"title '{shown(note.title)}' is also the title of {same[0].id}; "
                "links by title go to one of them",
                line=_title_line(vault.root, note),
                code="duplicate-title",
            )


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


def _joins(text: str, i: int) -> bool:
    """A zero-width (non-)joiner doing its job: inside an emoji sequence, or between letters
    of a script that writes with joiners (Arabic, Persian, Indic...)."""
    if text[i] not in _JOINERS or not 0 < i < len(text) - 1:
        return False
    before, after = text[i - 1], text[i + 1]
    emoji = text[i] == "\u200d" and unicodedata.category(after) == "So"
    emoji = emoji and unicodedata.category(before) in ("So", "Mn", "Sk")
    letters = all(
        unicodedata.category(ch)[0] in "LM" and ord(ch) >= 0x0590 for ch in (before, after)
    )
    return emoji or letters


def invisible_chars(text: str) -> list[tuple[int, str]]:
    """(index, description) of each invisible or control character in `text`.

    Joiners inside emoji (``👩‍💻``) and between letters of scripts that need them are fine.

    >>> invisible_chars("Ian\\u200bM\\tx")
    [(3, 'U+200B ZERO WIDTH SPACE'), (5, 'U+0009 CHARACTER TABULATION')]
    >>> invisible_chars("\\U0001f469\\u200d\\U0001f4bb \\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645")
    []
    """  # noqa: E501
    if text.isprintable():  # no character of those categories (fast path)
        return []
    found = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES and not _joins(text, i):
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


def shown(text: str) -> str:
    """`text` with invisible characters written as escapes, so a message shows them.

    >>> shown("Ama\\u200bzon")
    'Ama\\\\u200bzon'
    """
    if text.isprintable():
        return text
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in _INVISIBLE_CATEGORIES else ch
        for ch in text
    )


def _invisible(vault: Vault, report: Report) -> None:
    for path in sorted([*vault.notes, *vault.attachments]):
        for _, what in invisible_chars(path):
            report.warn(path, f"file name contains {what}", code="invisible")
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        title_line = _title_line(vault.root, note) if invisible_chars(note.title) else 0
        values = [("title", note.title, title_line)] if title_line else []
        if any(invisible_chars(alias) for alias in note.aliases):
            line = _key_line(vault.root, note, "aliases" if "aliases" in note.meta else "alias")
            values += [("alias", alias, line) for alias in note.aliases]
        for what, value, line in values:
            for _, char in invisible_chars(value):
                report.warn(
                    note.id,
                    f"{what} '{shown(value)}' contains {char}",
                    line=line,
                    code="invisible",
                )
        for link in note.links:
            raw = note.body[link.start : link.end]
            for index, char in invisible_chars(raw):
                line, col = note.position(link.start + index)
                report.warn(
                    note.id,
                    f"link '{shown(raw)}' contains {char}",
                    line=line,
                    col=col,
                    code="invisible",
                )


# --- links that are no links ---------------------------------------------------------------


def _malformed_links(note: Note, report: Report) -> None:
    """Empty and unclosed wikilinks (they stay text) and wikilinks to URLs (topic pages)."""
    if note.failed or note.masked is None or "[[" not in note.masked.masked:
        return  # a note that could not be read is published as plain text
    masked = note.masked.masked[: note.unlinked_from]  # past the limit, links are text
    linked = {link.start for link in note.links if not link.markdown}
    every_bracket_is_a_link = masked.count("[[") == len(linked) == masked.count("]]")
    spans: list[tuple[int, int]] = []
    for match in () if every_bracket_is_a_link else _WIKILINK.finditer(masked):
        spans.append(match.span())
        if match.start() not in linked:
            line, col = note.position(match.start())
            report.warn(
                note.id,
                f"empty link '{shown(note.body[match.start() : match.end()])}' names no "
                "note; it stays text",
                line=line,
                col=col,
                code="link",
            )
    if not every_bracket_is_a_link:
        _unclosed(note, masked, spans, report)
    for link in note.links:
        if link.markdown or ":" not in link.target:
            continue
        target = "".join(link.target.split())
        script = _SCRIPT_TARGET.match(target)
        if script is None and not _WEB_TARGET.match(target):
            continue
        what = f"a '{script.group(1).lower()}:' URL" if script else "a web address"
        line, col = note.position(link.start)
        advice = "" if script else f" (a Markdown link [text]({link.target}) links to it)"
        report.warn(
            note.id,
            f"link '{shown(link.raw)}' is {what}, not a note; it gets a topic page{advice}",
            line=line,
            col=col,
            code="link",
        )


def _unclosed(note: Note, masked: str, spans: list[tuple[int, int]], report: Report) -> None:
    """A ``[[`` outside any link with no ``]]`` outside a link after it on its line."""

    starts = [start for start, _ in spans]  # sorted, not overlapping

    def inside(offset: int) -> bool:
        index = bisect.bisect_right(starts, offset) - 1
        return index >= 0 and offset < spans[index][1]

    position = 0
    for text in masked.split("\n"):
        if "[[" in text:
            closes = [m.start() for m in _CLOSE.finditer(text) if not inside(position + m.start())]
            for opening in _OPEN.finditer(text):
                at = position + opening.start()
                if inside(at) or any(c > opening.start() for c in closes):
                    continue
                line, col = note.position(at)
                report.warn(
                    note.id,
                    "'[[' is never closed on its line; it stays text",
                    line=line,
                    col=col,
                    code="link",
                )
                break
        position += len(text) + 1


# --- raw HTML ------------------------------------------------------------------------------


def _raw_html(note: Note, report: Report) -> None:
    """Tags the sanitizer keeps (`sanitize.kept_element`) but notes should not need; what it
    removes is `notes.parse_note`'s (``html``)."""
    if note.failed or note.masked is None or "<" not in note.masked.masked:
        return
    stamps = note.stamps.anchor_starts()  # misspelled too
    masked = note.masked.masked
    for tag in raw_tags(masked):
        if (
            tag.start in stamps
            or tag.name in ALLOWED_TAGS
            or not kept_element(tag.name, tag.within)
        ):
            continue
        if tag.name == "a" and _TIMESTAMP_CLASS.search(masked, tag.start, tag.end):
            continue
        line, col = note.position(tag.start)
        what = "<a> that is not a timestamp anchor" if tag.name == "a" else f"<{tag.name}>"
        report.warn(
            note.id,
            f"raw HTML {what}; notes use Markdown, timestamp anchors, <br> and "
            "inline formatting only",
            line=line,
            col=col,
            code="raw-html",
        )


# --- Markdown Obsidian would not render as meant --------------------------------------------


def _markdown(note: Note, report: Report) -> None:
    """Fences never closed (the rest of their container is code), footnote references
    without a definition (they stay text)."""
    if "```" not in note.body and "~~~" not in note.body and "[^" not in note.body:
        return
    lines = note.body.split("\n")
    for fence in scan.fences(lines):
        if not fence.closed:
            report.warn(
                note.id,
                f"code fence {fence.marker} is never closed; the rest of its "
                f"{'quote' if scan.quote_depth(fence.prefix) else 'note'} is shown as code",
                line=note.body_line + fence.start,
                col=len(fence.prefix) + 1,
                code="markdown",
            )
    if "[^" not in note.body:
        return
    masked = note.masked.masked if note.masked is not None else note.body
    definitions, references = scan.footnotes(masked.split("\n"))
    for name, line, col in references:
        if name not in definitions:
            report.warn(
                note.id,
                f"footnote [^{shown(name)}] has no definition ('[^{shown(name)}]: ...' on "
                "a line of its own); it stays text",
                line=note.body_line + line,
                col=col + 1,
                code="markdown",
            )


NOTE_RULES: tuple[Callable[[Note, Report], None], ...] = (_malformed_links, _raw_html, _markdown)
"""The rules whose findings about a note depend on that note alone (its text)."""


def _block_links(vault: Vault, links: Links, report: Report) -> None:
    """Links to a block ``^id`` that the note they reach does not have."""
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        for link in note.links:
            if not link.heading or not link.heading.startswith("^"):
                continue
            target = links.targets.get((note.id, link.start))
            reached = target.resolution.note if target is not None else None
            if reached is None or link.heading[1:] in scan.block_spans(vault.notes[reached].body):
                continue
            line, col = note.position(link.start)
            report.warn(
                note.id,
                f"no block '{shown(link.heading)}' in {reached}; linking to the note",
                line=line,
                col=col,
                code="heading",
            )

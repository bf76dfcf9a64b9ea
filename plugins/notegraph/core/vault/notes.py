"""Read a vault: every Markdown file becomes a `Note`, everything else an attachment.

A note's frontmatter is YAML, read by PyYAML's safe loader within a budget (`yamlload`: no
alias bomb, no nesting without end). ``title``, ``aliases`` and ``tags`` are understood
(lists or strings); every other key is kept in `Note.meta`. A note whose frontmatter is
broken is still published, with a warning naming the file and line.

>>> text = "---\\ntitle: Tips\\ntags: pm, career\\n---\\nHi [[Amazon]].\\n"
>>> note = parse_note(NoteId("pm/Tips.md"), text)
>>> (note.title, note.tags, [link.target for link in note.links])
('Tips', ('pm', 'career'), ['Amazon'])
>>> note.position(note.links[0].start)  # line and column in the file
(5, 4)
"""

from __future__ import annotations

import datetime
import html
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown.extensions.toc import unique

from notegraph.core.base.guard import guarded
from notegraph.core.base.names import NoteId
from notegraph.core.base.output import is_site
from notegraph.core.base.pickling import by_fields
from notegraph.core.base.report import Report
from notegraph.core.vault import anchors, excerpt, scan, yamlload
from notegraph.core.vault.attachments import is_svg, refused
from notegraph.core.vault.limits import (
    MAX_BLOCK_COST,
    MAX_LINKS,
    MAX_NESTING,
    MAX_NOTE_BYTES,
    MAX_NOTE_COST,
    Cut,
    nesting_cuts,
    plain_blocks,
)
from notegraph.core.vault.notestore import NoteStore
from notegraph.core.vault.parsecache import PARSES, text_digest
from notegraph.core.vault.reserved import safe_id
from notegraph.core.vault.sanitize import reserved_names, unsafe_html
from notegraph.core.vault.scan import Masked, mask
from notegraph.core.vault.svg import clean_svg
from notegraph.core.vault.video import (
    Stamps,
    Video,
    find_stamps,
    self_hosted,
    time_problem,
    unwrap_linked_stamps,
    youtube_id,
)
from notegraph.core.vault.wikilinks import LineIndex, WikiLink, find_markdown_links, find_wikilinks

__all__ = [
    "Note",
    "Heading",
    "Vault",
    "load_vault",
    "parse_note",
    "parse_note_safely",
    "to_plain",
    "to_marked",
    "Slugify",
]

NOTE_SUFFIXES = (".md", ".markdown")
Slugify = Callable[[str, str], str]

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*(?:[ \t]#+[ \t]*)?$", re.MULTILINE)
_ATTR_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")
# Link text holds no bracket, an address one level of parentheses, a tag no '<': a failed
# match stops at the next bracket, parenthesis or tag, so these stay linear. None crosses a
# timestamp marker (U+0003) that `links` puts in the text: its sentence would be lost.
_URL = r"\((?:[^()\x03]|\([^()\x03]*\))*\)"
_MD_IMAGE = re.compile(r"!\[[^\[\]\x03]*\]" + _URL)
_MD_LINK = re.compile(r"\[([^\[\]]*)\]" + _URL)
_TAG = re.compile(r"<[a-zA-Z/!?][^<>\x03]*>")
_EMPHASIS = re.compile(
    r"(\*{1,3})(?=\S)(.+?)(?<=\S)\1"
    r"|(?<!\w)(_{1,3})(?=\S)(.+?)(?<=\S)\3(?!\w)"
    r"|(~~|==)(?=\S)(.+?)(?<=\S)\5"
)
_TAG_SPLIT = re.compile(r"[,\s]+")
_FM_OPEN = re.compile(r"\A---[ \t]*\n")
_FM_BLOCK = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)
_SETEXT = re.compile(r"^(?P<text>[^\n]+)\n(?P<rule>=+|-+)[ \t]*$", re.MULTILINE)
_NOT_PARAGRAPH = re.compile(r"^\s*(?:[-+*]\s|\d{1,9}[.)]\s|#|>|\||<|    |\t)")
_EMPHASIS_MARKS = "*_~="


@by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    """The heading as a reader sees it (links reduced to their shown text)."""
    anchor: str
    """The id MkDocs' toc extension gives the heading."""
    line: int
    start: int
    """Offset of the heading line in the note's body."""


@dataclass
class Note:
    id: NoteId
    title: str
    body: str
    body_line: int = 1
    """Line of the file on which `body` starts (frontmatter lines come before it)."""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    masked: Masked | None = None
    links: list[WikiLink] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    video: Video | None = None
    video_line: int = 0
    """Line of the ``videoId`` or ``video`` key in the file."""
    stamps: Stamps = field(default_factory=Stamps)
    failed: bool = False
    """The note could not be read (an ``internal`` error was reported): its page shows its
    text as plain text (`parse_note_safely`)."""
    cuts: list[Cut] = field(default_factory=list)
    """Lines nested past the limit, published flattened (`limits.nesting_cuts`)."""
    plain: list[tuple[int, int]] = field(default_factory=list)
    """Paragraphs published as plain text, too costly for Markdown (`limits.plain_blocks`)."""
    unlinked_from: int | None = None
    """Offset of the first link past `limits.MAX_LINKS`: from there on, links stay text."""

    @property
    def stem(self) -> str:
        return PurePosixPath(self.id).stem

    @property
    def folder(self) -> str:
        return self.id.rpartition("/")[0]  # a note id is a plain relative POSIX path

    @cached_property
    def _lines(self) -> LineIndex:
        return LineIndex(self.body, self.body_line)

    def position(self, offset: int) -> tuple[int, int]:
        """File line and column of an offset in the body."""
        return self._lines.position(offset)


@dataclass
class Vault:
    root: Path
    notes: dict[NoteId, Note]
    attachments: list[str]
    """Vault paths of the files that are not notes and are published (images, PDFs...)."""
    unpublished: dict[str, str] = field(default_factory=dict)
    """Files that are neither notes nor published attachments, with the reason."""
    rewritten: dict[str, bytes] = field(default_factory=dict)
    """What the site publishes for attachments it does not copy as they are (SVGs, which
    `svg.clean_svg` rewrites), by vault path."""
    digests: dict[NoteId, str] = field(default_factory=dict)
    """SHA-1 of each note's text: a note is a function of its path and text (and the
    build's options), so the digest stands for it across builds (incremental builds)."""


def to_plain(markdown: str, shown: Callable[[WikiLink], str] | None = None) -> str:
    """Reduce one line of Markdown to the text a reader sees.

    >>> to_plain("**Bold** [[T | shown]] and [a link](x.md) <br/> &amp; more")
    'Bold shown and a link  & more'
    """
    return excerpt.excerpt_text(to_marked(markdown, shown))


_KEPT = re.compile("\x05[^\x05\x07]*\x07|\x01[^\x01\x02]*\x02")
"""A link already made marked text (`excerpt`): its shown text is no Markdown."""
_STARS = {1: ("em",), 2: ("strong",), 3: ("strong", "em")}


def _marks(match: re.Match[str]) -> str:
    """One emphasis as marked text (`excerpt.SPANS`)."""
    if match.group(5):
        tags: tuple[str, ...] = ("del",) if match.group(5) == "~~" else ("mark",)
        inner = match.group(6)
    else:
        run = match.group(1) or match.group(3)
        tags, inner = _STARS[len(run)], match.group(2) or match.group(4)
    opening = "".join(excerpt.SPANS[tag][0] for tag in tags)
    closing = "".join(excerpt.SPANS[tag][1] for tag in reversed(tags))
    return opening + inner + closing


def to_marked(markdown: str, shown: Callable[[WikiLink], str] | None = None) -> str:
    """Reduce Markdown to the marked text of an excerpt (`excerpt`): code, emphasis,
    highlights and strikes kept as marks, Markdown links as their text, tags dropped.
    Comments are dropped. Wikilinks are the caller's to mark (``links``); any left show
    their text (`shown`, else as written), embeds nothing.

    >>> from notegraph.core.vault.excerpt import excerpt_html
    >>> excerpt_html(to_marked("**Bold *and* ==lit==** `[[x]] *` &amp; <br>"), str)
    '<strong>Bold <em>and</em> <mark>lit</mark></strong> <code>[[x]] *</code> &amp;'
    """
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\x00{len(kept) - 1}\x00"

    text = markdown
    if "\x05" in text or "\x01" in text:
        text = _KEPT.sub(lambda m: keep(m.group(0)), text)
    code_open, code_close = excerpt.SPANS["code"]
    if "`" in text or "%%" in text or "<!--" in text:
        pieces, last = [], 0
        for start, end, kind in scan.inline_spans(text):
            code = kind == "code"
            pieces += [
                text[last:start],
                keep(code_open + scan.code_text(text[start:end]) + code_close) if code else "",
            ]
            last = end
        text = "".join(pieces) + text[last:]
    for link in reversed(find_wikilinks(text)) if "[[" in text else ():
        link_text = "" if link.embed else (shown(link) if shown else link.shown)
        text = text[: link.start] + keep(link_text) + text[link.end :]
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", text)
    previous = None
    while previous != text and any(mark in text for mark in _EMPHASIS_MARKS):
        previous = text
        text = _EMPHASIS.sub(_marks, text)
    if "&" in text:
        text = html.unescape(text)
    if kept:
        text = re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)
    return text.strip()


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | datetime.date):
        return str(value)
    return None


def _kind(value: Any) -> str:
    """What a frontmatter value is, as a message says it.

    >>> [_kind(v) for v in (True, 5, 1.5, datetime.date(2024, 1, 2), {}, [], "x")]
    ['a yes/no value', 'a number', 'a number', 'a date', 'a mapping', 'a list', 'text']
    """
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return "text" if isinstance(value, str) else type(value).__name__


def _shown(value: Any) -> str:
    """A frontmatter value as a message quotes it: text (cut), or what kind of value it is,
    never the whole of a value that may be large.

    >>> _shown("x" * 100)[-5:], _shown([1, 2]), _shown(7)
    ("xxxx'", 'a list', "'7'")
    """
    if isinstance(value, str):
        return repr(value[:60])
    if isinstance(value, int | float | datetime.date) and not isinstance(value, bool):
        return repr(str(value)[:60])
    return _kind(value)


def _as_list(value: Any, split: bool, noun: str) -> tuple[list[str], list[str]]:
    """A frontmatter list (or string) as strings, and what was done with each value that
    was no text (`noun` names an item: "tag").

    >>> _as_list("pm, career", True, "tag")
    (['pm', 'career'], [])
    >>> _as_list(5, True, "tag")
    (['5'], ["5 (a number) is read as the tag '5'"])
    >>> _as_list(["a", True, {"x": 1}, None], True, "tag")
    (['a'], ['true (a yes/no value) is ignored', 'a mapping is ignored'])
    """
    if value is None:
        return [], []
    if isinstance(value, str):
        items = _TAG_SPLIT.split(value) if split else [value]
        return [item for item in (i.strip() for i in items) if item], []
    values = list(value) if isinstance(value, list | tuple) else [value]
    out: list[str] = []
    problems: list[str] = []
    for item in values:
        text = _as_text(item)
        if isinstance(item, str) or item is None:
            out += [text] if text else []
        elif text is not None:
            out.append(text)
            problems.append(f"{text} ({_kind(item)}) is read as the {noun} '{text}'")
        elif isinstance(item, bool):
            problems.append(f"{str(item).lower()} ({_kind(item)}) is ignored")
        else:
            problems.append(f"{_kind(item)} is ignored")
    return out, problems


def _split_frontmatter(note_id: str, text: str, report: Report) -> tuple[dict[str, Any], int]:
    """Metadata and the offset where the body starts. Problems are reported, never raised."""
    if not _FM_OPEN.match(text):
        return {}, 0
    match = _FM_BLOCK.match(text)
    if match is None:
        report.warn(
            note_id,
            "frontmatter starts with '---' but never closes; "
            "the whole file is published as the body",
            line=1,
            code="frontmatter",
        )
        return {}, 0
    offset = match.end()
    try:
        data, repeated = yamlload.load(match.group("yaml"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        over = isinstance(error, yamlload.LimitError)
        report.warn(
            note_id,
            f"frontmatter is {'over a limit' if over else 'not valid YAML'} ({problem}); "
            "the note is published without it",
            line=line,
            code="limit" if over else "frontmatter",
        )
        return {}, offset
    for key, line in repeated:
        report.warn(
            note_id,
            f"frontmatter key '{key}' is given twice; the last value is used",
            line=line + 2,
            code="frontmatter",
        )
    if data is None:
        return {}, offset
    if not isinstance(data, dict):
        report.warn(
            note_id,
            f"frontmatter is a {type(data).__name__}, not a mapping of keys; it is ignored",
            line=2,
            code="frontmatter",
        )
        return {}, offset
    return {str(key): value for key, value in data.items()}, offset


def _headings(
    body: str, masked: Masked, body_line: int, slugify: Slugify, renamed: list[tuple[int, str]]
) -> list[Heading]:
    """The note's headings with the ids toc gives them; the generated ids that the page
    around the note owns (`reserved.safe_id`) are renamed, and added to `renamed` as
    (offset, anchor toc would have given)."""
    ids: set[str] = set()
    headings: list[Heading] = []
    lines = LineIndex(body, body_line)
    found = [
        (m.start(), len(m.group(1)), m.start(2), m.end(2)) for m in _HEADING.finditer(masked.masked)
    ]
    for m in _SETEXT.finditer(masked.masked):
        previous = masked.masked.rfind("\n", 0, max(m.start() - 1, 0))
        before = masked.masked[previous + 1 : m.start()].strip() if m.start() else ""
        if m.group("text").strip() and not before and not _NOT_PARAGRAPH.match(m.group("text")):
            level = 1 if m.group("rule").startswith("=") else 2
            found.append((m.start(), level, m.start("text"), m.end("text")))
    for start, level, text_start, text_end in sorted(found):
        raw = body[text_start:text_end].strip()
        explicit = _ATTR_ID.search(raw)
        raw = _ATTR_LIST.sub("", raw)
        text = to_plain(raw)
        anchor = explicit.group(1) if explicit else slugify(text, "-")
        if safe_id(anchor) != anchor:
            if not explicit:  # an explicit one is reported with the other attribute lists
                renamed.append((start, anchor))
            anchor = safe_id(anchor)
        headings.append(
            Heading(
                level=level,
                text=text,
                anchor=unique(anchor, ids),
                line=lines.position(start)[0],
                start=start,
            )
        )
    return headings


def parse_note(
    note_id: NoteId,
    text: str,
    report: Report | None = None,
    slugify: Slugify = anchors.slugify,
) -> Note:
    """Parse one note's text (frontmatter, title, aliases, tags, links, headings)."""
    report = report if report is not None else Report()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    meta, offset = _split_frontmatter(note_id, text, report)
    body_line = text.count("\n", 0, offset) + 1
    body, unwrapped = unwrap_linked_stamps(text[offset:])
    if unwrapped:
        report.info(
            note_id,
            f"{unwrapped} timestamp anchors were wrapped in Markdown links; the links are removed",
            line=body_line,
            code="timestamp",
        )
    masked = mask(body)
    renamed: list[tuple[int, str]] = []
    headings = _headings(body, masked, body_line, slugify, renamed)

    def key_line(key: str) -> int:
        """Line of a frontmatter key in the file (the frontmatter's first line if not found)."""
        found = re.search(rf"^{re.escape(key)}\s*:", text[:offset], re.MULTILINE)
        return text.count("\n", 0, found.start()) + 1 if found else 2

    title = _as_text(meta.get("title"))
    if "title" in meta and title is None and meta["title"] is not None:
        report.warn(
            note_id,
            "'title' should be text; the note's heading or file name is used",
            line=key_line("title"),
            code="frontmatter",
        )
    if title is None:
        first_h1 = next((h.text for h in headings if h.level == 1 and h.text), None)
        title = first_h1 or PurePosixPath(note_id).stem

    listed: dict[str, list[str]] = {}
    for key, noun, what in (("aliases", "alias", "names"), ("tags", "tag", "words")):
        name = key if key in meta else noun  # `alias:` and `tag:` are read too
        listed[key], problems = _as_list(meta.get(name), split=key == "tags", noun=noun)
        if problems:
            report.warn(
                note_id,
                f"'{name}' should be a list of {what}, or text; " + ", ".join(problems),
                line=key_line(name),
                code="frontmatter",
            )
    aliases = listed["aliases"]
    tags = [tag.lstrip("#") for tag in listed["tags"] if tag.lstrip("#")]

    video: Video | None = None
    if meta.get("videoId") is not None:
        youtube = youtube_id(meta["videoId"])
        if youtube is None:
            report.warn(
                note_id,
                f"videoId {_shown(meta['videoId'])} is not a YouTube video id or URL; "
                "the note gets no player",
                line=key_line("videoId"),
                code="video",
            )
        else:
            video = Video(youtube=youtube)
    elif meta.get("video") is not None:
        src = self_hosted(meta["video"])
        if src is None:
            report.warn(
                note_id,
                "'video' should be a relative path or an http(s) URL of a video file",
                line=key_line("video"),
                code="video",
            )
        else:
            video = Video(src=src)
    stamps = find_stamps(body, masked.masked, plain=video is not None)
    lines = LineIndex(body, body_line)
    for offset, what in unsafe_html(masked.masked):
        line, col = lines.position(offset)
        report.warn(
            note_id,
            f"unsafe raw HTML: {what}",
            line=line,
            col=col,
            code="html",
        )
    for offset, what in reserved_names(masked.masked):
        line, col = lines.position(offset)
        report.warn(note_id, what, line=line, col=col, code="id")
    for offset, anchor in renamed:
        line, col = lines.position(offset)
        report.info(
            note_id,
            f"heading id '{anchor}' is taken by the page around the note (the theme or "
            f"notegraph); it is published as '{safe_id(anchor)}' (links to the heading use it)",
            line=line,
            col=col,
            code="id",
        )
    for stamp in stamps:
        if stamp.repaired is not None:
            line, col = lines.position(stamp.start)
            report.info(
                note_id,
                f"timestamp data-t {stamp.repaired[:40]!r} is not a valid time; "
                f"the anchor's text {stamp.text[:40]!r} gives the time",
                line=line,
                col=col,
                code="timestamp",
            )
        if stamp.typo is not None:
            line, col = lines.position(stamp.start)
            report.info(
                note_id,
                f"timestamp anchor's class is {stamp.typo[:40]!r}, not 'yt-timestamp'; "
                "it is read as a timestamp for its data-t and the time it shows",
                line=line,
                col=col,
                code="timestamp",
            )
        if stamp.unclosed and stamp.seconds is not None:
            line, col = lines.position(stamp.start)
            report.info(
                note_id,
                f"timestamp anchor {stamp.text[:40]!r} has no </a> on its line; "
                "it ends after its time",
                line=line,
                col=col,
                code="timestamp",
            )
        if stamp.seconds is None:
            line, col = lines.position(stamp.start)
            report.warn(
                note_id,
                f"timestamp {stamp.text[:40]!r} is not a valid time: "
                f"{time_problem(stamp.text.strip('[]')) or 'not HH:MM:SS or MM:SS'}; left as text",
                line=line,
                col=col,
                code="timestamp",
            )
    if video is None and any(s.anchor for s in stamps):
        first = next(s for s in stamps if s.anchor)
        line, col = lines.position(first.start)
        count = sum(1 for s in stamps if s.anchor)
        report.warn(
            note_id,
            f"{count} timestamp{'s' * (count != 1)} but no valid videoId; they stay text",
            line=line,
            col=col,
            code="timestamp",
        )

    links = sorted(
        find_wikilinks(body, masked)
        + find_markdown_links(body, str(PurePosixPath(note_id).parent).lstrip("."), masked),
        key=lambda link: link.start,
    )
    unlinked_from = None
    if len(links) > MAX_LINKS:
        unlinked_from = links[MAX_LINKS].start
        line, col = lines.position(unlinked_from)
        report.warn(
            note_id,
            f"{len(links):,} links, over the limit of {MAX_LINKS:,} per note: the links from "
            "here on stay text",
            line=line,
            col=col,
            code="limit",
        )
        links = links[:MAX_LINKS]
    cuts = nesting_cuts(masked.masked)
    if cuts:
        report.warn(
            note_id,
            f"lists or quotes nested deeper than {MAX_NESTING} levels, on {len(cuts):,} "
            f"line{'s' * (len(cuts) != 1)} from here: the deeper levels are published as text",
            line=lines.position(cuts[0].start)[0],
            code="limit",
        )
    plain = plain_blocks(masked.masked)
    for (start, end), cost, marks in plain:
        report.warn(
            note_id,
            f"a paragraph of {end - start:,} characters and {marks:,} brackets, tags and "
            f"marks would take Python-Markdown about {cost / 1e9:,.0f} s to render "
            f"(the limit is {MAX_BLOCK_COST / 1e9:.0f} s a paragraph, {MAX_NOTE_COST / 1e9:.0f} s "
            "a note): it is published as plain text",
            line=lines.position(start)[0],
            code="limit",
        )
    return Note(
        id=note_id,
        title=title,
        body=body,
        body_line=body_line,
        aliases=tuple(dict.fromkeys(aliases)),
        tags=tuple(dict.fromkeys(tags)),
        meta=meta,
        masked=masked,
        links=links,
        headings=headings,
        video=video,
        video_line=key_line("videoId" if "videoId" in meta else "video") if video else 0,
        stamps=Stamps(stamps),
        cuts=cuts,
        plain=[span for span, _, _ in plain],
        unlinked_from=unlinked_from,
    )


def parse_note_safely(
    note_id: NoteId, text: str, report: Report, slugify: Slugify = anchors.slugify
) -> Note:
    """`parse_note`, or, if it fails (a bug: reported as an error), a note that publishes
    its text as it is (`Note.failed`)."""
    return guarded(
        report,
        note_id,
        "read this note",
        lambda: parse_note(note_id, text, report, slugify),
        lambda: Note(
            id=note_id,
            title=PurePosixPath(note_id).stem,
            body=text,
            masked=Masked(text=text, masked=text, comments=()),
            failed=True,
        ),
        outcome="its page shows its text as plain text",
    )


def _walk(root: Path, report: Report) -> Iterable[str]:
    """Vault paths of every regular file, sorted; hidden entries, symlinks and sites
    notegraph built (`output.is_site`: a build into a folder of its vault) are skipped,
    folders that cannot be read are reported."""

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        rel = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
        report.warn(
            rel,
            f"folder cannot be read ({error.strerror or error}); nothing in it is published",
            code="io",
        )

    def walk(folder: Path, prefix: str) -> Iterable[str]:
        try:
            with os.scandir(folder) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError as error:
            unreadable(error)
            return
        folders = []
        for entry in entries:  # the files first, then each folder's, as `os.walk` goes
            name, rel = entry.name, prefix + entry.name
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if name.startswith("."):
                    continue
                if entry.is_symlink():
                    report.warn(rel, "symbolic link to a folder is not followed", code="symlink")
                elif is_site(Path(entry.path)):
                    report.info(rel, "a site notegraph built; it is not read", code="hidden")
                else:
                    folders.append(entry)
                continue
            if name.startswith("."):
                if name.lower().endswith(NOTE_SUFFIXES):
                    report.info(
                        rel, "hidden file (name starts with '.') is not published", code="hidden"
                    )
                continue
            if entry.is_symlink():
                report.warn(rel, "symbolic link is not followed", code="symlink")
                continue
            yield rel
        for entry in folders:
            yield from walk(Path(entry.path), f"{prefix}{entry.name}/")

    yield from walk(root, "")


def read_text(path: Path, note_id: str, report: Report) -> str:
    """A note's text; invalid UTF-8 and NUL bytes are replaced (and reported), never fatal.

    Only the first `limits.MAX_NOTE_BYTES` of a larger note are read, up to the end of a
    line (reported).
    """
    with path.open("rb") as file:
        data = file.read(MAX_NOTE_BYTES + 1)
    if len(data) > MAX_NOTE_BYTES:
        cut = data.rfind(b"\n", 0, MAX_NOTE_BYTES) + 1 or MAX_NOTE_BYTES
        while cut and data[cut] & 0xC0 == 0x80:  # never in the middle of a character
            cut -= 1
        data = data[:cut]
        size = path.stat().st_size
        report.warn(
            note_id,
            f"note of {size / 2**20:,.1f} MB, over the limit of {MAX_NOTE_BYTES / 2**20:.0f} MB "
            "per note: it is published up to this line",
            line=data.count(b"\n") + (data[-1:] != b"\n"),
            code="limit",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.warn(
            note_id,
            "file is not valid UTF-8; undecodable bytes are shown as \ufffd",
            line=line,
            code="encoding",
        )
        text = data.decode("utf-8-sig", errors="replace")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        report.warn(
            note_id,
            "file holds NUL bytes (binary data?); they are shown as \ufffd",
            line=line,
            code="encoding",
        )
        text = text.replace("\x00", "\ufffd")
    return text


def _publish_svg(root: Path, rel: str, report: Report) -> bytes | tuple[str, int]:
    """The bytes the site publishes for the SVG `rel`, or why it publishes none (and the
    line). What the sanitizer leaves out is reported with its line (code ``svg``)."""
    try:
        data = (root / rel).read_bytes()
    except OSError as error:
        return f"SVG that cannot be read is not published ({error.strerror})", 0
    cleaned = clean_svg(data)
    for removed in cleaned.removed:
        report.add(removed.level, rel, removed.what, line=removed.line, code="svg")
    if cleaned.data is None:
        return cleaned.problem or "SVG is not published", cleaned.line
    return cleaned.data


def load_vault(
    root: Path,
    report: Report,
    slugify: Slugify = anchors.slugify,
    workers: int = 1,
    store: NoteStore | None = None,
) -> Vault:
    """Read every note and list every attachment under `root`.

    Only attachments of the types `attachments.ALLOWED` are published; every other file is
    reported once (code ``attachment``) and kept in `Vault.unpublished`. SVGs are published
    as `svg.clean_svg` rewrites them (`Vault.rewritten`), what it leaves out reported. Notes
    are parsed in `workers` processes (`parallel.map_forked`), the diagnostics reported in
    file order. Notes parsed in an earlier build are taken from `store`, if it has them.
    """
    texts: list[tuple[str, str]] = []
    found: list[tuple[str, Report]] = []  # each file's own report, in walk order
    attachments: list[str] = []
    unpublished: dict[str, str] = {}
    rewritten: dict[str, bytes] = {}
    for rel in _walk(root, report):
        own = Report()
        found.append((rel, own))
        if rel.lower().endswith(NOTE_SUFFIXES):
            try:
                texts.append((rel, read_text(root / rel, rel, own)))
            except OSError as error:
                own.warn(rel, f"cannot be read: {error.strerror}", code="io")
            continue
        why, line = refused(rel), 0
        if why is None and is_svg(rel):
            published = _publish_svg(root, rel, own)
            if isinstance(published, bytes):
                rewritten[rel] = published
            else:
                why, line = published
        if why is None:
            attachments.append(rel)
        else:
            unpublished[rel] = why
            own.warn(rel, why, line=line, code="attachment")
    digests = {NoteId(rel): text_digest(text) for rel, text in texts}
    made = PARSES.parse_many(
        root, texts, slugify, parse_note_safely, workers, store, list(digests.values())
    )
    parsed = dict(zip((rel for rel, _ in texts), made, strict=True))
    notes: dict[NoteId, Note] = {}
    for rel, own in found:
        report.extend(own.diagnostics)
        if rel in parsed:
            note, diagnostics = parsed[rel]
            notes[NoteId(rel)] = note
            report.extend(diagnostics)
    return Vault(root, notes, attachments, unpublished, rewritten, digests)

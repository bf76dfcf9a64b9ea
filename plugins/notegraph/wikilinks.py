"""Find wikilinks in a note's Markdown, skipping code and comments.

Obsidian-style links take these forms (all parsed into one `WikiLink`):

``[[T]]``, ``[[T|shown]]``, ``[[T | shown]]``, ``[[T#Heading]]``, ``[[T#Heading|shown]]``,
``[[#Heading]]``, ``[[folder/T]]``, ``[[T|]]``, ``[[T | a | b]]`` (the last part is shown),
``[[T\\|shown]]`` (inside tables), ``![[Note]]`` (embed), ``![[image.png|300]]``.

Code (fenced, indented, inline), HTML comments and Obsidian ``%% %%`` comments are masked
before matching, so ``[[1, 2]]`` in a code block never becomes a link.

>>> [link.target for link in find_wikilinks("See [[Amazon]] and `[[not a link]]`.")]
['Amazon']
>>> link = find_wikilinks("[[Working backwards#The press release | PR/FAQ]]")[0]
>>> (link.target, link.heading, link.shown)
('Working backwards', 'The press release', 'PR/FAQ')
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = [
    "WikiLink",
    "Masked",
    "mask",
    "find_wikilinks",
    "find_markdown_links",
    "blocks",
    "Span",
    "LineIndex",
]

_FENCE = re.compile(r"^[ \t]*(?:[>][ \t]?)*(`{3,}|~{3,})")
_QUOTE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_INLINE = re.compile(
    r"(?P<code>(?<!`)(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<html><!--.*?(?:-->|\Z))"
    r"|(?P<obsidian>%%.*?(?:%%|\Z))",
    re.DOTALL,
)
_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]*)\]\]")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-+*]\s|\d{1,9}[.)]\s|>|\|)")

Span = tuple[int, int]
_WIDTH = re.compile(r"^\d{1,5}(?:x\d{1,5})?$")


@dataclass(frozen=True, slots=True)
class WikiLink:
    """One ``[[...]]`` occurrence in a text. Offsets index the text it was found in."""

    start: int
    end: int
    raw: str
    target: str
    heading: str | None = None
    alias: str | None = None
    embed: bool = False
    width: str | None = None
    markdown: bool = False
    """A Markdown link ``[text](path.md)`` to a vault file, its path made vault-relative."""

    @property
    def shown(self) -> str:
        """The text a reader sees: the alias, else ``T > Heading``, else the target."""
        if self.alias:
            return self.alias
        if self.heading and self.target:
            return f"{self.target} > {self.heading.lstrip('^')}"
        if self.heading:
            return self.heading.lstrip("^")
        return self.target


@dataclass(frozen=True)
class Masked:
    """A text with code and comments blanked out (same length, same line breaks)."""

    text: str
    masked: str
    comments: tuple[tuple[int, int], ...]
    """Spans of Obsidian ``%% %%`` comments, which are dropped from published pages."""


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _mask_blocks(text: str) -> str:
    """Blank fenced and indented code blocks, line by line."""
    out: list[str] = []
    fence: str | None = None
    previous_blank = True
    in_list = False
    in_code = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if fence is not None:
            out.append(_blank(line))
            content = _QUOTE_PREFIX.sub("", line).strip()
            if content.startswith(fence) and set(content) <= {fence[0]}:
                fence = None
            continue
        match = _FENCE.match(line)
        if match:
            fence = match.group(1)
            out.append(_blank(line))
            previous_blank = in_code = False
            continue
        if not stripped:
            out.append(line)
            previous_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (in_code or (previous_blank and not in_list)):
            out.append(_blank(line))
            previous_blank, in_code = False, True
            continue
        in_code = False
        if _LIST_ITEM.match(line):
            in_list = True
        elif not indented and previous_blank:
            in_list = False
        out.append(line)
        previous_blank = False
    return "".join(out)


def mask(text: str) -> Masked:
    """Blank out code and comments so that link patterns only match in prose.

    >>> mask("a `[[x]]` b").masked
    'a         b'
    """
    masked = _mask_blocks(text)
    pieces: list[str] = []
    comments: list[tuple[int, int]] = []
    last = 0
    inline = "`" in masked or "<!--" in masked or "%%" in masked  # most notes have none
    for match in _INLINE.finditer(masked) if inline else ():
        pieces.append(masked[last : match.start()])
        pieces.append(_blank(match.group(0)))
        if match.group("obsidian"):
            comments.append(match.span())
        last = match.end()
    pieces.append(masked[last:])
    blanked = "".join(pieces)
    # Most notes have no code or comment: then the masked text is the text itself, one
    # string in memory instead of two (20,000 notes: some 80 MB).
    return Masked(text=text, masked=text if blanked == text else blanked, comments=tuple(comments))


def parse_inner(inner: str) -> tuple[str, str | None, str | None, str | None]:
    """Split the inside of ``[[...]]`` into target, heading, alias and image width.

    >>> parse_inner("T | a | b")
    ('T', None, 'b', None)
    >>> parse_inner("T\\\\|shown")
    ('T', None, 'shown', None)
    >>> parse_inner("T|")
    ('T', None, None, None)
    >>> parse_inner("#Heading")
    ('', 'Heading', None, None)
    """
    parts = [part.strip() for part in inner.replace("\\|", "|").split("|")]
    head = parts[0].rstrip("\\").strip()
    alias = parts[-1] if len(parts) > 1 and parts[-1] else None
    target, _, heading = head.partition("#")
    return target.strip(), (heading.strip() or None) if _ else None, alias, None


def find_wikilinks(text: str, masked: Masked | None = None) -> list[WikiLink]:
    """Every wikilink in `text` outside code and comments, in order."""
    masked = masked or mask(text)
    links: list[WikiLink] = []
    for match in _WIKILINK.finditer(masked.masked):
        inner = text[match.start(2) : match.end(2)]
        if not inner.strip() or inner.strip() == "|":
            continue
        target, heading, alias, width = parse_inner(inner)
        embed = bool(match.group(1))
        if embed and alias and _WIDTH.match(alias):
            width, alias = alias, None
        if not target and not heading:
            continue
        links.append(
            WikiLink(
                start=match.start(),
                end=match.end(),
                raw=match.group(0),
                target=target,
                heading=heading,
                alias=alias,
                embed=embed,
                width=width,
            )
        )
    return links


_MD_LINK = re.compile(r"(!?)\[([^\[\]\n]*)\]\((?:<([^<>\n]+)>|([^()<>\s]+))(?:\s+\"[^\"]*\")?\)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def find_markdown_links(text: str, folder: str, masked: Masked | None = None) -> list[WikiLink]:
    """Markdown links and images to relative paths, as links to vault paths.

    `folder` is the linking note's folder; the target is made relative to the vault root.
    External URLs, ``#anchors`` and root-absolute paths are not vault links.

    >>> [(l.target, l.heading, l.alias) for l in find_markdown_links(
    ...     "[see](../b/Other%20note.md#Part) [x](https://x.org) ![c](img/c.png)", "a")]
    [('b/Other note.md', 'Part', 'see'), ('a/img/c.png', None, 'c')]
    """
    masked = masked or mask(text)
    links: list[WikiLink] = []
    for match in _MD_LINK.finditer(masked.masked):
        group = 3 if match.group(3) is not None else 4
        url = text[match.start(group) : match.end(group)]
        if _SCHEME.match(url) or url.startswith(("#", "/")):
            continue
        path, _, fragment = url.partition("#")
        path = posixpath.normpath(posixpath.join(folder, unquote(path)))
        links.append(
            WikiLink(
                start=match.start(),
                end=match.end(),
                raw=match.group(0),
                target=path,
                heading=unquote(fragment) or None,
                alias=text[match.start(2) : match.end(2)],
                embed=bool(match.group(1)),
                markdown=True,
            )
        )
    return links


def blocks(body: str) -> list[Span]:
    """Spans of the paragraphs, list items, headings and table rows of a body, in order.

    A line that opens a list item, a heading, a quote or a table row is a block of its
    own; other consecutive lines that are not blank make one. Computed once per note, in
    one pass: a paragraph of ten thousand links is not walked again for each.

    >>> body = "Intro line\\ncontinued.\\n\\n- item\\nlazy\\n# Title"
    >>> [body[lo:hi] for lo, hi in blocks(body)]
    ['Intro line\\ncontinued.', '- item', 'lazy', '# Title']
    """
    found: list[Span] = []
    run: Span | None = None  # the paragraph being read
    position = 0
    for line in body.split("\n"):
        end = position + len(line)
        if not line.strip() or _BLOCK_START.match(line):
            if run is not None:
                found.append(run)
                run = None
            if line.strip():
                found.append((position, end))
        else:
            run = (run[0] if run is not None else position, end)
        position = end + 1
    if run is not None:
        found.append(run)
    return found


class LineIndex:
    """Maps offsets in a text to 1-based (line, column).

    >>> LineIndex("ab\\ncd").position(4)
    (2, 2)
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._first = first_line

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._first + index, offset - self._starts[index] + 1

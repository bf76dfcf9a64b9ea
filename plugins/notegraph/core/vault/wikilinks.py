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
import sys
from array import array
from dataclasses import dataclass
from urllib.parse import unquote

from notegraph.core.base.pickling import by_fields
from notegraph.core.vault.scan import Masked, mask

__all__ = ["WikiLink", "find_wikilinks", "find_markdown_links", "LineIndex"]

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]*)\]\]")
_WIDTH = re.compile(r"^\d{1,5}(?:x\d{1,5})?$")


@by_fields
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
                raw=_shared(match.group(0)),
                target=_shared(target),
                heading=heading,
                alias=alias if alias is None else _shared(alias),
                embed=embed,
                width=width,
            )
        )
    return links


def _shared(text: str) -> str:
    """One object for equal names: a vault writes the same link in many notes (tubegraph:
    211,000 links to 40,000 names)."""
    return sys.intern(text) if len(text) <= 300 else text


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


class LineIndex:
    """Maps offsets in a text to 1-based (line, column).

    >>> LineIndex("ab\\ncd").position(4)
    (2, 2)
    """

    def __init__(self, text: str, first_line: int = 1) -> None:
        # An array, not a list of ints: 4 bytes a line instead of 36 (a million lines).
        self._starts = array("I", [0, *[m.end() for m in re.finditer("\n", text)]])
        self._first = first_line

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        return self._first + index, offset - self._starts[index] + 1

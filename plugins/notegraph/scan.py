"""The one model of a note's Markdown blocks: where code fences open and close, and what is
a quote, a list or plain text, line by line, in one pass.

Every reader of a note asks it (the renderer's preprocessor `dialect`, and the readers of
links, headings and excerpts), so that they agree on what is code. It follows SuperFences
(pymdown-extensions), the renderer's fence reader, where Obsidian (CommonMark) agrees, and
Obsidian where they differ; `dialect.normalize` then writes what Obsidian means in the form
SuperFences reads the same way:

- A fence opens with three or more backticks or tildes after any run of spaces, tabs and
  quote markers (the line's *prefix*: ``- item`` then ``  ```py`` is a fence in the item,
  ``> ```py`` one in a quote), followed by any info string (``ts title="a.ts"``,
  ``//dataviewjs``: the first word, when it is one, is the language).
- It closes on a line of the same character, at least as long, after a prefix; the closing
  line may be longer than the opening one (CommonMark), SuperFences wants it the same.
- A fence never closed ends where its container ends (CommonMark): a quoted fence at the
  first line quoted less deeply (or a blank line without ``>``), a fence indented in a list
  item at the first line indented less, any other at the end of the note. `Fence.closed`
  says which; ``notegraph check`` reports the unclosed ones (Obsidian shows the rest of the
  container as code, which is rarely what the author meant).

Linear: each line is looked at once, with a bounded amount of work per character.

>>> [(f.start, f.end, f.closed, f.language) for f in fences(["a", "```py", "x", "```", "b"])]
[(1, 4, True, 'py')]
>>> [(f.start, f.end, f.closed) for f in fences(["> ```", "> x", "after"])]
[(0, 2, False)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Fence", "fences", "prefix", "quote_depth", "indent", "TAB"]

TAB = 4
_PREFIX = re.compile(r"[> \t]*")
_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*(.*)$")
_LANGUAGE = re.compile(r"\.?([\w#.+-]+)(?=[ \t{]|$)")


@dataclass(frozen=True, slots=True)
class Fence:
    """One fenced code block, by line numbers (0-based) of the lines it was scanned from."""

    start: int
    """Line of the opening fence."""
    end: int
    """Line after the block: after the closing fence when `closed`, else the first line
    outside its container (where a closing fence belongs)."""
    closed: bool
    prefix: str
    """What stands before the opening fence: spaces, tabs, quote markers."""
    marker: str
    """The opening fence itself: three or more backticks or tildes."""
    info: str
    """The rest of the opening line (``py title="x.py"``)."""

    @property
    def language(self) -> str:
        """The info string's first word, when it names a language (else "")."""
        found = _LANGUAGE.match(self.info)
        return found.group(1) if found else ""


def prefix(line: str) -> str:
    """The run of spaces, tabs and quote markers a line starts with.

    >>> prefix(" >  > ```py")
    ' >  > '
    """
    found = _PREFIX.match(line)
    return found.group(0) if found else ""


def quote_depth(line_prefix: str) -> int:
    """How many quotes deep a prefix is.

    >>> quote_depth("> > "), quote_depth("    ")
    (2, 0)
    """
    return line_prefix.count(">")


def indent(line_prefix: str) -> int:
    """Columns of space after the last quote marker of a prefix (a tab to the next stop).

    >>> indent("  "), indent(">   "), indent("\\t")
    (2, 2, 4)
    """
    after = line_prefix.rsplit(">", 1)[-1]
    if ">" in line_prefix and after.startswith(" "):
        after = after[1:]  # the one space that belongs to the quote marker
    column = 0
    for char in after:
        column = column + TAB - column % TAB if char == "\t" else column + 1
    return column


def _opening(line: str) -> tuple[str, str, str] | None:
    """(prefix, fence, info) when the line opens a fence."""
    before = prefix(line)
    found = _OPEN.match(line, len(before))
    if found is None:
        return None
    marker, info = found.group(1), found.group(2).strip()
    if marker[0] == "`" and "`" in info:  # CommonMark: no backtick in a backtick fence's info
        return None
    return before, marker, info


def _closes(opened: str, marker: str, line: str) -> bool:
    """Whether a line closes a fence opened with `marker` after `opened`: the same
    character, at least as long, indented less than four columns more than the opening."""
    here = prefix(line)
    bare = line[len(here) :].rstrip(" \t")
    if len(bare) < len(marker) or bare != marker[0] * len(bare):
        return False
    return indent(here) < indent(opened) + TAB


def _inside(opened: str, line: str) -> bool:
    """Whether a line belongs to the container of a fence opened after `opened`."""
    here = prefix(line)
    depth = quote_depth(opened)
    if depth:
        return quote_depth(here) >= depth  # a blank line without '>' ends the quote too
    if not line.strip():
        return True
    return indent(opened) == 0 or indent(here) >= indent(opened)


def fences(lines: list[str]) -> list[Fence]:
    """Every fenced code block of `lines`, in order (see the module's rules).

    >>> text = ["- item", "  ```yaml", "  a: 1", "b", "~~~", "x", "~~~~", "```js {.x}", "y"]
    >>> [(f.start, f.end, f.closed, f.marker, f.info) for f in fences(text)]
    [(1, 3, False, '```', 'yaml'), (4, 7, True, '~~~', ''), (7, 9, False, '```', 'js {.x}')]
    """
    found: list[Fence] = []
    opened: tuple[int, str, str, str] | None = None  # (line, prefix, marker, info)
    for number, line in enumerate(lines):
        if opened is not None:
            start, before, marker, info = opened
            if not _inside(before, line):
                found.append(Fence(start, number, False, before, marker, info))
                opened = None  # and the line is read again below, outside the fence
            elif _closes(before, marker, line):
                found.append(Fence(start, number + 1, True, before, marker, info))
                opened = None
                continue
            else:
                continue
        opening = _opening(line)
        if opening is not None:
            opened = (number, *opening)
    if opened is not None:
        start, before, marker, info = opened
        found.append(Fence(start, len(lines), False, before, marker, info))
    return found

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

import functools
import re
from dataclasses import dataclass

__all__ = [
    "Fence",
    "Block",
    "fences",
    "code_lines",
    "block_ids",
    "block_spans",
    "footnotes",
    "prefix",
    "quote_depth",
    "indent",
    "BLOCK_ID",
    "Span",
    "blocks",
    "TAB",
    "Masked",
    "mask",
    "inline_spans",
    "code_text",
]

TAB = 4
_PREFIX = re.compile(r"[> \t]*")
_OPEN = re.compile(r"(`{3,}|~{3,})[ \t]*(.*)$")
_LANGUAGE = re.compile(r"\.?([\w#.+-]+)(?=[ \t{]|$)")
BLOCK_ID = re.compile(r"(?:^|[ \t])\^([A-Za-z0-9-]+)[ \t]*$")
"""An Obsidian block id, at the end of a block's text (`` ^id``) or alone on its line."""
_ITEM = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_BLOCK_START = re.compile(r"[ \t]*(?:#{1,6}(?:[ \t]|$)|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)|>|\|)")
"""A line that is a block of its own: a heading, a list item, a quote, a table row."""
Span = tuple[int, int]
_FOOTNOTE_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")


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


def code_lines(lines: list[str]) -> set[int]:
    """Numbers of the lines of every fence, its fence lines included.

    >>> sorted(code_lines(["a", "```", "b", "```", "c"]))
    [1, 2, 3]
    """
    return {number for fence in fences(lines) for number in range(fence.start, fence.end)}


@dataclass(frozen=True, slots=True)
class Block:
    """The lines of the block a block id names: [start, end), the id's own line excluded
    when it stands alone."""

    name: str
    start: int
    end: int
    line: int
    """Line of the ``^id`` itself."""


def _block_start(lines: list[str], number: int, code: set[int]) -> int:
    """First line of the paragraph, list item or heading that holds line `number`."""
    start = number
    while start > 0:
        line = lines[start]
        if _ITEM.match(line) or _HEADING.match(line):
            break
        above = lines[start - 1]
        if not above.strip() or start - 1 in code:
            break
        start -= 1
    return start


def block_ids(lines: list[str]) -> dict[str, Block]:
    """Every block id of a note (outside code), by name (the first of a name wins).

    A line that ends with `` ^id`` names its paragraph or list item; a line ``^id`` of its
    own names the block just above it (a list, a quote, a table), up to a blank line.

    >>> text = ["Intro", "a claim ^c1", "", "- x", "- y", "", "^list", "```", "z ^no", "```"]
    >>> [(b.name, b.start, b.end) for b in block_ids(text).values()]
    [('c1', 0, 2), ('list', 3, 5)]
    """
    code = code_lines(lines)
    found: dict[str, Block] = {}
    for number, line in enumerate(lines):
        if "^" not in line or number in code:
            continue
        match = BLOCK_ID.search(line)
        if match is None or match.group(1) in found:
            continue
        if line.strip() == match.group(0).strip():  # alone: the block above
            end = number
            while end > 0 and not lines[end - 1].strip():
                end -= 1
            start = end
            while start > 0 and lines[start - 1].strip() and start - 1 not in code:
                start -= 1
            if start == end:
                continue
        else:
            start, end = _block_start(lines, number, code), number + 1
        found[match.group(1)] = Block(match.group(1), start, end, number)
    return found


@functools.lru_cache(maxsize=1024)
def block_spans(body: str) -> dict[str, tuple[int, int]]:
    """The blocks a note's block ids name (`block_ids`), as spans of its body (kept for the
    last notes asked: embeds and links ask for the same note often).

    >>> block_spans("Intro\\nclaim ^c1\\n\\nnext")
    {'c1': (0, 15)}
    """
    lines = body.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return {
        name: (starts[block.start], starts[block.end] - 1)
        for name, block in block_ids(lines).items()
    }


def footnotes(lines: list[str]) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """The footnote definitions of `lines` (name -> line) and every reference to a
    footnote (name, line, column), outside fences. Inline code is the caller's to blank.

    >>> footnotes(["A claim[^1] and[^x].", "", "[^1]: The source."])
    ({'1': 2}, [('1', 0, 7), ('x', 0, 15)])
    """
    code = code_lines(lines)
    definitions: dict[str, int] = {}
    references: list[tuple[str, int, int]] = []
    for number, line in enumerate(lines):
        if "[^" not in line or number in code:
            continue
        defined = _FOOTNOTE_DEFINITION.match(line)
        if defined:
            definitions.setdefault(defined.group(1), number)
        skip = defined.end() if defined else 0
        for match in _FOOTNOTE_REFERENCE.finditer(line, skip):
            references.append((match.group(1), number, match.start()))
    return definitions, references


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


# --- code and comments, masked -----------------------------------------------------------

_SPECIAL = re.compile(r"`+|<!--|%%")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Masked:
    """A text with code and comments blanked out (same length, same line breaks)."""

    text: str
    masked: str
    comments: tuple[tuple[int, int], ...]
    """Spans of Obsidian ``%% %%`` comments, which are dropped from published pages."""


def _blank(text: str) -> str:
    """`text` with every character but line breaks made a space."""
    return (
        " " * len(text) if "\n" not in text else "\n".join(" " * len(p) for p in text.split("\n"))
    )


def _code_blocks(lines: list[str]) -> set[int]:
    """Lines of fenced code (`fences`) and of indented code: four spaces or a tab after a
    blank line, outside a list (a list item's continuation is indented too)."""
    code = code_lines(lines)
    previous_blank, in_list, in_code = True, False, False
    for number, line in enumerate(lines):
        if number in code:
            previous_blank = in_code = False
            continue
        if not line.strip():
            previous_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (in_code or (previous_blank and not in_list)):
            code.add(number)
            previous_blank, in_code = False, True
            continue
        in_code = False
        if _ITEM.match(line):
            in_list = True
        elif not indented and previous_blank:
            in_list = False
        previous_blank = False
    return code


def _closing_runs(text: str) -> dict[int, int]:
    """For each run of backticks (by start), the start of the next run of the same length
    in the same paragraph, if any: where a code span opened there closes. One pass from
    the end, so linear in the text."""
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"`+", text)]
    paragraph_ends = [m.start() for m in _BLANK_LINE.finditer(text)]
    closing: dict[int, int] = {}
    seen: dict[int, tuple[int, int]] = {}  # length -> (start, paragraph) of the next run
    paragraph = len(paragraph_ends)
    for start, length in reversed(runs):
        while paragraph and paragraph_ends[paragraph - 1] >= start:
            paragraph -= 1
        after = seen.get(length)
        if after is not None and after[1] == paragraph:
            closing[start] = after[0]
        seen[length] = (start, paragraph)
    return closing


def inline_spans(text: str) -> list[tuple[int, int, str]]:
    """Spans of inline code (`` `x` ``, kind "code"), HTML comments ("html") and Obsidian
    comments ("obsidian"; both to the end of the text when never closed), read left to
    right: what opens first wins. Linear in the text.

    >>> text = "a `b %%` c %%d%% <!-- `e` -->"
    >>> [(text[start:end], kind) for start, end, kind in inline_spans(text)]
    [('`b %%`', 'code'), ('%%d%%', 'obsidian'), ('<!-- `e` -->', 'html')]
    """
    spans: list[tuple[int, int, str]] = []
    closing = _closing_runs(text) if "`" in text else {}
    position = 0
    while True:
        found = _SPECIAL.search(text, position)
        if found is None:
            return spans
        start, token = found.start(), found.group(0)
        if token[0] == "`":
            close = closing.get(start)
            if close is None:  # no closing run: the backticks are text
                position = found.end()
                continue
            end, kind = close + len(token), "code"
        else:
            closer = "-->" if token == "<!--" else "%%"
            end = text.find(closer, found.end())
            end = len(text) if end == -1 else end + len(closer)
            kind = "html" if token == "<!--" else "obsidian"
        spans.append((start, end, kind))
        position = end


def code_text(span: str) -> str:
    """The text of a code span (its backticks off, and the one space CommonMark strips on
    each side when both are there).

    >>> code_text("`` a`b ``"), code_text("` x`")
    ('a`b', ' x')
    """
    ticks = len(span) - len(span.lstrip("`"))
    inner = span[ticks:-ticks]
    if len(inner) > 1 and inner[0] == " " and inner[-1] == " " and inner.strip():
        inner = inner[1:-1]
    return inner


def mask(text: str) -> Masked:
    """Blank out code (fenced, indented, inline) and comments (``<!-- -->``, ``%% %%``),
    so that link and markup patterns match only in prose; linear in the text.

    >>> mask("a `[[x]]` b %%c%%").masked
    'a         b      '
    >>> mask("- item\\n  ```\\n  [[code]]\\n  ```\\n[[y]]").masked
    '- item\\n     \\n          \\n     \\n[[y]]'
    """
    lines = text.split("\n")
    blocks = _code_blocks(lines)
    if blocks:
        lines = [_blank(line) if n in blocks else line for n, line in enumerate(lines)]
        blanked = "\n".join(lines)
    else:
        blanked = text
    spans = (
        inline_spans(blanked) if ("`" in blanked or "<!--" in blanked or "%%" in blanked) else []
    )
    comments = [(start, end) for start, end, kind in spans if kind == "obsidian"]
    if spans:
        pieces, last = [], 0
        for start, end, _ in spans:
            pieces += [blanked[last:start], _blank(blanked[start:end])]
            last = end
        pieces.append(blanked[last:])
        blanked = "".join(pieces)
    # Most notes have no code or comment: then the masked text is the text itself, one
    # string in memory instead of two (20,000 notes: some 80 MB).
    return Masked(text=text, masked=text if blanked == text else blanked, comments=tuple(comments))

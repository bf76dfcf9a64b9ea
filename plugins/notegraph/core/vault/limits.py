"""Limits that keep the work for any one note bounded, whatever a stranger wrote in it.

notegraph's own readers are linear in a note's size. Python-Markdown, which renders every
page inside MkDocs, is not: for each ``[`` it looks for the matching ``]`` to the end of the
paragraph (``[`` × 20,000 takes minutes), for each link address the closing parenthesis,
for each tag that never closes the end of the page (its HTML parser), and every inline
element it finds copies the paragraph again. Nesting is recursion. So a note is published
within these limits, and what goes over one is reported (code ``limit``) by ``notegraph
check`` and the build alike, with its line; the rest of the note is published as usual:

- `MAX_NOTE_BYTES`: only the beginning of a larger note is read;
- `MAX_LINKS`: the links after the first ones stay text;
- `MAX_NESTING`: lists and quotes nested deeper are flattened (`nesting_cuts`);
- `MAX_BLOCK_COST` and `MAX_NOTE_COST`: a paragraph whose Markdown would cost more (see
  `markdown_cost`) is published as plain text (`plain_blocks`).

And a ``<`` that opens a tag that never closes is written ``&lt;`` for Python-Markdown
(`loose_angles`): it shows the same, and costs nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from notegraph.core.base.pickling import by_fields
from notegraph.core.vault.scan import Span, blocks

__all__ = [
    "MAX_NOTE_BYTES",
    "MAX_LINKS",
    "MAX_NESTING",
    "MAX_BLOCK_COST",
    "MAX_NOTE_COST",
    "Cut",
    "nesting_cuts",
    "markdown_cost",
    "plain_blocks",
    "loose_angles",
]

MAX_NOTE_BYTES = 2 * 2**20
"""A note is read up to this many bytes (the largest of the 21,273 tubegraph notes: 0.94 MB)."""
MAX_LINKS = 10_000
"""Wikilinks and Markdown links of one note that are resolved and rendered as links."""
MAX_NESTING = 32
"""Levels of lists and quotes in one another (``- - - x`` is three, so is ``\\t\\t- x``)."""
MAX_BLOCK_COST = 2 * 10**9
"""`markdown_cost` above which a paragraph is published as plain text (about a second)."""
MAX_NOTE_COST = 5 * 10**9
"""`markdown_cost` of all the paragraphs of one note rendered as Markdown."""


@by_fields
@dataclass(frozen=True, slots=True)
class Cut:
    """Text of a note published otherwise than written, to stay within the limits."""

    start: int
    end: int
    text: str
    """The Markdown published instead of ``body[start:end]``."""


# --- nesting --------------------------------------------------------------------------------

# Lines whose container prefix (indentation, '>', list markers) is long enough to nest past
# the limit: a quick filter, the exact prefix is read by `_PREFIX_TOKEN`.
_LONG_PREFIX = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING + 1},}}", re.MULTILINE)
_PREFIX_TOKEN = re.compile(r"[ \t]+|>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])")


def _tokens(line: str) -> Iterator[re.Match[str]]:
    position = 0
    while (token := _PREFIX_TOKEN.match(line, position)) is not None:
        yield token
        position = token.end()


def _depth(token: str) -> int:
    """Levels a prefix token opens: a quote or a list marker one, indentation one per four
    columns (a tab is four)."""
    if token[0] in " \t":
        return (token.count(" ") + 4 * token.count("\t")) // 4
    return 1


def _flattened(line: str) -> tuple[int, str] | None:
    r"""(length of the start of a line to replace, what replaces it) when the line nests
    deeper than `MAX_NESTING` levels, else None. The list marker or quote past the limit is
    escaped (it and the rest of the line become text), indentation past it goes.

    >>> _flattened("- " * 40 + "x") == (2 * MAX_NESTING + 1, "- " * MAX_NESTING + "\\-")
    True
    >>> _flattened("\t" * 40 + "- x") == (40, "\t" * (MAX_NESTING - 1))
    True
    >>> _flattened("- x") is None
    True
    """
    if not line.strip():
        return None  # a blank line (code is blanked like one)
    depth = 0
    kept: list[str] = []
    for token in _tokens(line):
        text = token.group(0)
        levels = _depth(text)
        indent = text[0] in " \t"
        if depth + levels <= MAX_NESTING - (indent and levels > 0):  # a level for a marker
            kept.append(text)
            depth += levels
        elif indent:
            room = max(MAX_NESTING - depth - 1, 0)
            kept.append(("\t" if "\t" in text else "    ") * room)
            return token.end(), "".join(kept)
        else:  # escaped: "\-", "\>", "1\."
            return token.end(), "".join(kept) + text[:-1] + "\\" + text[-1]
    return None


def nesting_cuts(masked: str) -> list[Cut]:
    """Cuts that flatten the lines of a note nested deeper than `MAX_NESTING` levels.

    `masked` is the note's body with code blanked (`scan.mask`).

    >>> text = "intro\\n" + "".join("\\t" * i + "- x\\n" for i in range(40))
    >>> cuts = nesting_cuts(text)
    >>> len(cuts), cuts[0].text == "\\t" * (MAX_NESTING - 1)
    (8, True)
    """
    cuts: list[Cut] = []
    for candidate in _LONG_PREFIX.finditer(masked):
        start = candidate.start()
        line_end = masked.find("\n", start)
        line = masked[start : line_end if line_end != -1 else len(masked)]
        flattened = _flattened(line)
        if flattened is not None:
            cuts.append(Cut(start, start + flattened[0], flattened[1]))
    return cuts


# --- the cost of a paragraph to Python-Markdown ------------------------------------------------

_BRACKET = re.compile(r"(?<!\\)[\[\]()]")
_INLINE = re.compile(r"[\[(<`*_&!\\{|~=^]")
"""Characters that can open something Python-Markdown matches inside a paragraph."""
SCAN_WEIGHT = 2000
"""What Python-Markdown spends on each character it walks in Python looking for the ``]``
of a ``[`` that has none, or the ``)`` of a link address (about 2 µs: several patterns walk
it), against what it spends on each byte of the paragraph for each element it finds (a
quarter of a nanosecond, `COPY_SHARE`): measured by benchmarks/adversarial.py."""
MATCHED_WEIGHT = 200
"""The same, walking to the ``]`` of a ``[`` that has one (patterns stop there)."""
COPY_SHARE = 4


def markdown_cost(block: str) -> tuple[int, int]:
    """(What rendering a paragraph costs Python-Markdown, in about nanoseconds; how many
    of its characters may open a link, a tag or a mark).

    Each ``[`` walks to its ``]`` (or the paragraph's end), each ``](`` to its ``)``, in
    Python; each element found copies the paragraph. Linear in the paragraph.

    >>> markdown_cost("A [link](x.md) and *marks*.")[0] < 10**5
    True
    >>> markdown_cost("[" * 20_000)[0] > MAX_BLOCK_COST
    True
    """
    marks = len(_INLINE.findall(block))
    copies = marks * len(block) // COPY_SHARE
    walked = matched = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []  # (offset, opens a link address)
    for match in _BRACKET.finditer(block):
        char, at = match.group(0), match.start()
        if char == "[":
            brackets.append(at)
        elif char == "]":
            matched += at - brackets.pop() if brackets else 0
        elif char == "(":
            parens.append((at, block[at - 1 : at] == "]"))
        elif parens:
            opened, address = parens.pop()
            walked += at - opened if address else 0
    walked += sum(len(block) - at for at in brackets)
    walked += sum(len(block) - at for at, address in parens if address)
    return SCAN_WEIGHT * walked + MATCHED_WEIGHT * matched + copies, marks


def plain_blocks(masked: str) -> list[tuple[Span, int, int]]:
    """The paragraphs (list items, headings: `scan.blocks`) of a note published as
    plain text, with their cost and marks: each one over `MAX_BLOCK_COST`, and every one
    that would take the note over `MAX_NOTE_COST`.

    >>> [(span, marks) for span, _, marks in plain_blocks("Fine [link](x).\\n\\n" + "[" * 9000)]
    [((17, 9017), 9000)]
    """
    found: list[tuple[Span, int, int]] = []
    spent = 0
    marks = len(_INLINE.findall(masked))
    if (SCAN_WEIGHT + 1) * marks * len(masked) <= MAX_BLOCK_COST:
        return found  # the cost of all the note's paragraphs together is below one's limit
    for start, end in blocks(masked):  # what Python-Markdown renders one at a time
        cost, marks = markdown_cost(masked[start:end])
        if cost > MAX_BLOCK_COST or spent + cost > MAX_NOTE_COST:
            found.append(((start, end), cost, marks))
        else:
            spent += cost
    return found


# --- tags that never close -----------------------------------------------------------------

_ANGLE = re.compile(r"<(?=[a-zA-Z/?!])|>")


def loose_angles(masked: str) -> list[int]:
    """Offsets of the ``<`` that open a tag with no ``>`` before the next ``<``.

    Python-Markdown's HTML parser looks for the end of such a tag to the end of the page,
    for each of them; written ``&lt;`` they show the same. Comments are left alone.

    >>> loose_angles("a <b>bold</b> <a <a href='x'>link</a> 1 < 2 <i")
    [14, 44]
    """
    found: list[int] = []
    opened: int | None = None
    for match in _ANGLE.finditer(masked):
        if match.group(0) == ">":
            opened = None
            continue
        if opened is not None:
            found.append(opened)
        at = match.start()
        escaped = masked[at - 1 : at] == "\\"
        opened = None if escaped or masked.startswith("<!--", at) else at
    if opened is not None:
        found.append(opened)
    return found


def in_spans(spans: list[Span], offset: int) -> bool:
    """Whether `offset` lies in one of `spans` (sorted, not overlapping)."""
    index = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    return index >= 0 and offset < spans[index][1]

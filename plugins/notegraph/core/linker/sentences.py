"""Cut plain text into sentences, and tidy what is left where timestamps were taken out.

Backlinks, topic pages and video pages quote the sentence around a link or before a
timestamp, so a cut in the wrong place shows: "For example, tools such as e.g." alone, or
a quotation torn in two. `split_sentences` ends a sentence at ``.``, ``!``, ``?`` or ``…``
followed by a space, except

- after a known abbreviation (``e.g.``, ``i.e.``, ``vs.``, ``Dr.``, ``No. 5``...) or an
  initial (``J. R. R. Tolkien``);
- when the next word starts in lower case (``"Why?" she asked``, ``10 a.m. sharp``);
- inside a quotation that closes later (``"It works. Really." Then``).

Closing quotes and brackets stay with the sentence they close. A number's decimal point is
never an end (no space follows it).

>>> split_sentences('Tools, e.g. Jira, help. Dr. Smith said "It works. Really." Then left.')
['Tools, e.g. Jira, help.', 'Dr. Smith said "It works. Really."', 'Then left.']
"""

from __future__ import annotations

import re

from notegraph.core.vault.excerpt import CLOSERS, MARKERS

__all__ = ["split_sentences", "tidy_punctuation", "ABBREVIATIONS", "BEFORE_NUMBERS"]

ABBREVIATIONS = frozenset(
    ["e.g", "eg", "i.e", "ie", "vs", "v", "cf", "viz", "al", "approx", "a.k.a", "aka"]
    + ["mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st"]
)
"""Words (lower case, without their last full stop) after which ``.`` ends no sentence."""

BEFORE_NUMBERS = frozenset(["no", "nos", "vol", "p", "pp", "ch", "fig", "figs", "sec", "art"])
"""Words that end no sentence when a number follows (``No. 5``), and may otherwise."""

_BOUNDARY = re.compile(f"[.!?…]+[\"'”’»)\\]{re.escape(CLOSERS)}]*(?=\\s)")
_QUOTES = re.compile(r"[\"“”]")
_LONGEST_QUOTE = 600
"""A quotation longer than this is taken for a stray quote mark: it keeps no sentence whole."""

_STRAY = re.compile(r"\s*[,;:](?:\s*[,;:])*\s*(?=[.!?…](?:\s|$))|\s*,\s*$")
_REPEATED_COMMA = re.compile(r",(?:\s*,)+")
_EMPTY_BRACKETS = re.compile(r"\s*(?:\(\s*\)|\[\s*\])")
# Found wherever the first branch of `_STRAY` or `_EMPTY_BRACKETS` matches, and fast to look
# for: they open with the punctuation, where the patterns open with spaces that the regex
# engine tries at every character (the sentences of a vault's moments are tidied once or
# twice each: 1.2 million texts on a 21,000-note vault).
_STRAY_HINT = re.compile(r"[,;:][\s,;:]*[.!?…]")
_EMPTY_BRACKETS_HINT = re.compile(r"[(\[]\s*[)\]]")


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans (open, close) of the quotations of `text`, straight or curly, paired in order."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for match in _QUOTES.finditer(text):
        mark = match.group()
        if opened is None:
            if mark != "”":
                opened = match.start()
        elif mark != "“":
            if match.start() - opened <= _LONGEST_QUOTE:
                spans.append((opened, match.start()))
            opened = None
    return spans


def _next_letter(text: str, position: int) -> str:
    """The first character from `position` on that is no space and no marker."""
    for char in text[position:]:
        if not char.isspace() and char not in MARKERS:
            return char
    return ""


def _word_before(text: str, start: int, stop: int) -> str | None:
    """What ``re.search(r"([\\w.]+)$", text[start:stop])`` finds: the letters, digits, ``_``
    and ``.`` that end it (before one last newline), read backwards from `stop` (that
    pattern was tried at every character of what can be a long sentence)."""
    if stop > start and text[stop - 1] == "\n":
        stop -= 1
    first = stop
    while first > start and (text[first - 1].isalnum() or text[first - 1] in "._"):
        first -= 1
    return text[first:stop] if first < stop else None


def _is_abbreviation(text: str, start: int, stop: int, following: str) -> bool:
    """Whether the full stop at `stop` ends an abbreviation (the sentence began at `start`)."""
    word = _word_before(text, start, stop)
    if word is None:
        return False
    token = word.strip(".")
    if len(token) == 1 and token.isupper():
        return True  # an initial: "J. Smith"
    folded = token.casefold()
    return folded in ABBREVIATIONS or (folded in BEFORE_NUMBERS and following.isdigit())


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order; the last piece may be empty (as `re.split` gives).

    >>> split_sentences("It costs $1.5 million. No. 5 is next, vs. No. 6. J. K. Rowling wrote.")
    ['It costs $1.5 million.', 'No. 5 is next, vs. No. 6.', 'J. K. Rowling wrote.']
    >>> split_sentences('"Why?" she asked. Fine… then go. Done.')
    ['"Why?" she asked.', 'Fine… then go.', 'Done.']
    """
    quotes = _quotations(text)
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        following = _next_letter(text, end)
        if following.islower():
            continue
        dot = match.group().startswith(".")
        if dot and _is_abbreviation(text, start, match.start(), following):
            continue
        if any(lo < match.start() and end - 1 < hi for lo, hi in quotes):
            continue  # inside a quotation that closes further on
        pieces.append(text[start:end])
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
    pieces.append(text[start:])
    return pieces


def tidy_punctuation(text: str) -> str:
    """Remove the punctuation that timestamps leave behind when they are taken out of a
    sentence: ``, .`` and ``,.`` become ``.``, ``, ,`` one comma, ``()`` nothing.

    >>> tidy_punctuation("It is underexplored, . Next ( ) one, , two, ")
    'It is underexplored. Next one, two'
    """
    if ("(" in text or "[" in text) and _EMPTY_BRACKETS_HINT.search(text):
        text = _EMPTY_BRACKETS.sub("", text)
    if "," not in text and ";" not in text and ":" not in text:
        return text  # nothing for `_REPEATED_COMMA` nor `_STRAY` to take
    text = _REPEATED_COMMA.sub(",", text)
    stray = _STRAY_HINT.search(text) or text.rstrip().endswith(",")
    return _STRAY.sub("", text) if stray else text

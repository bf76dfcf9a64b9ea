"""Raw HTML kept out of the Markdown of generated pages, and put back after rendering.

Python-Markdown reads every HTML tag of a page with an HTML parser before it does anything
else, and timestamp links, backlinks and listings are most of the tags of a generated page:
rendering a note page with them inline costs twice as much as without. They need no
Markdown, so a page's generator hands each one to a `Fragments` and writes the token it gets
back instead; `fill` swaps the tokens of the rendered HTML for the fragments.

A token is a run of private-use characters: Markdown leaves it alone, and it holds no word
character, so it can never change a heading's id. A block token stands alone in its
paragraph, and `fill` replaces the ``<p>`` around it too.

>>> out = Fragments()
>>> text = "Intro " + out.inline("<b>bold</b>") + " end." + out.block("<ul><li>x</li></ul>")
>>> import markdown
>>> fill(markdown.markdown(text), out.pieces)
'<p>Intro <b>bold</b> end.</p>\\n<ul><li>x</li></ul>'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

__all__ = ["Fragments", "fill", "OPEN", "with_fragments"]

OPEN, CLOSE = "\ue000", "\ue001"
_DIGITS = "".join(chr(0xE010 + i) for i in range(16))
_TOKEN = re.compile(f"(<p>)?{OPEN}([{_DIGITS}]+){CLOSE}(?(1)</p>)")


def _encode(number: int) -> str:
    return "".join(_DIGITS[int(digit, 16)] for digit in f"{number:x}")


def _decode(digits: str) -> int:
    return int("".join(f"{_DIGITS.index(d):x}" for d in digits), 16)


class Fragments:
    """The raw HTML pieces of one page, in the order their tokens were handed out.

    A disabled collector hands the HTML back as is (for a page whose own text holds the
    token characters, see `with_fragments`).
    """

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.pieces: list[str] = []

    def inline(self, html: str) -> str:
        """A token for HTML inside a paragraph (a link, a mark)."""
        if not self.enabled:
            return html
        self.pieces.append(html)
        return OPEN + _encode(len(self.pieces) - 1) + CLOSE

    def block(self, html: str) -> str:
        """A token for block-level HTML (a list, a section), in a paragraph of its own."""
        return "\n\n" + self.inline(html) + "\n\n"


def with_fragments(write: Callable[[Fragments], str]) -> tuple[str, list[str]]:
    """Run a page generator with a collector: its Markdown and its fragments.

    If the page's text holds token characters of its own (a note may hold anything), it is
    generated again with the HTML inline, so that `fill` cannot mistake the note's text for
    a token.

    >>> with_fragments(lambda out: "a " + out.inline("<i>b</i>"))
    ('a \\ue000\\ue010\\ue001', ['<i>b</i>'])
    >>> with_fragments(lambda out: "\\ue000 " + out.inline("<i>b</i>"))
    ('\\ue000 <i>b</i>', [])
    """
    out = Fragments()
    text = write(out)
    if text.count(OPEN) == len(out.pieces):
        return text, out.pieces
    return write(Fragments(enabled=False)), []


def fill(html: str, pieces: Sequence[str]) -> str:
    """`html` with every token replaced by its fragment (block tokens with their ``<p>``)."""
    if not pieces:
        return html
    return _TOKEN.sub(lambda m: pieces[_decode(m.group(2))], html)

"""Excerpts: the sentence a backlink, a topic mention or a video moment quotes, as the reader
saw it in the note: code stays code, emphasis stays emphasis, a link is a link with its
shown text, comments and block ids are gone.

An excerpt is made in steps that each cut or tidy text (sentences, shortening), so it is
kept as *marked text* until it lands on a page: plain text in which control characters
stand for what the Markdown meant (`to_marked` in ``notes``, ``links`` for the links).
`excerpt_html` turns it into HTML, escaping all the rest; `excerpt_text` into plain text.

- ``MARK_OPEN`` text ``MARK_CLOSE``: the link the excerpt is quoted for (a ``<mark>``).
- ``STAMP_OPEN`` n ``STAMP_CLOSE``: a timestamp (taken out before the excerpt is shown).
- ``LINK_OPEN`` shown ``LINK_AT`` offset ``LINK_CLOSE``: another link of the note, by the
  offset of the link in the note's body (where its target is looked up).
- `SPANS`: a pair of characters for each of ``<strong>``, ``<em>``, ``<code>``, ``<mark>``
  and ``<del>``.

A cut may leave a span open or a closing character without its opening: `excerpt_html`
closes what is open and drops the rest, so that its HTML is always well formed.

>>> excerpt_html(SPANS["strong"][0] + "a < b" + SPANS["strong"][1] + " and "
...              + LINK_OPEN + "T" + LINK_AT + "12" + LINK_CLOSE, lambda at: f"#{at}")
'<strong>a &lt; b</strong> and <a href="#12">T</a>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

__all__ = [
    "MARK_OPEN",
    "MARK_CLOSE",
    "STAMP_OPEN",
    "STAMP_CLOSE",
    "LINK_OPEN",
    "LINK_AT",
    "LINK_CLOSE",
    "SPANS",
    "MARKERS",
    "CLOSERS",
    "link_token",
    "link_offsets",
    "excerpt_html",
    "excerpt_text",
]

MARK_OPEN, MARK_CLOSE = "\x01", "\x02"
STAMP_OPEN, STAMP_CLOSE = "\x03", "\x04"
LINK_OPEN, LINK_AT, LINK_CLOSE = "\x05", "\x06", "\x07"
SPANS = {
    "strong": ("\x0e", "\x0f"),
    "em": ("\x10", "\x11"),
    "code": ("\x12", "\x13"),
    "mark": ("\x14", "\x15"),
    "del": ("\x16", "\x17"),
}
"""The opening and closing character of each inline element an excerpt keeps."""
_OPENS = {opening: tag for tag, (opening, _) in SPANS.items()}
_CLOSES = {closing: tag for tag, (_, closing) in SPANS.items()}
CLOSERS = MARK_CLOSE + LINK_CLOSE + "".join(closing for _, closing in SPANS.values())
"""The characters that close a span: a sentence's last full stop may stand before them."""
MARKERS = (
    MARK_OPEN + MARK_CLOSE + STAMP_OPEN + STAMP_CLOSE + LINK_OPEN + LINK_AT + LINK_CLOSE
) + "".join(a + b for a, b in SPANS.values())
"""Every character with a meaning in marked text (none is text a reader sees)."""
_TOKEN = re.compile(
    "([\x01\x02\x05\x07\x0e-\x17])|\x06\\d*|\x03\\d*\x04?|\x04",
)


def link_token(shown: str, offset: int) -> str:
    """A link of the note, shown as `shown`, at `offset` in its body.

    >>> link_token("Amazon", 42) == LINK_OPEN + "Amazon" + LINK_AT + "42" + LINK_CLOSE
    True
    """
    return f"{LINK_OPEN}{shown}{LINK_AT}{offset}{LINK_CLOSE}"


def link_offsets(text: str) -> list[int]:
    """The offsets of the links `text` shows (`link_token`), in order.

    >>> link_offsets("See " + link_token("A", 4) + " and " + link_token("B", 19))
    [4, 19]
    """
    return list(_links(text).values())


def _links(text: str) -> dict[int, int]:
    """For each LINK_OPEN (by position) with its whole token, the offset it names."""
    found: dict[int, int] = {}
    for match in re.finditer("\x05[^\x05\x06\x07]*\x06(\\d+)\x07", text):
        found[match.start()] = int(match.group(1))
    return found


def excerpt_html(text: str, href: Callable[[int], str | None]) -> str:
    """Marked text as HTML: the link it quotes in ``<mark class="ng-mention">``, other links
    as ``<a>`` where `href` (given a link's offset) finds them, the inline elements of
    `SPANS`, timestamps dropped; every other character escaped.

    >>> o, c = SPANS["em"]
    >>> excerpt_html("x" + c + " " + MARK_OPEN + o + "y", lambda at: None)
    'x <mark class="ng-mention"><em>y</em></mark>'
    """
    links = _links(text)
    out: list[str] = []
    opened: list[str] = []  # closing HTML of each element open, innermost last
    kinds: list[str] = []  # what each opened element is: a SPANS tag, "mark" or "a"
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        position = match.end()
        char = match.group(1)
        if char is None:  # a timestamp or a link's offset: no text
            continue
        if char == MARK_OPEN:
            out.append('<mark class="ng-mention">')
            opened.append("</mark>")
            kinds.append("ng-mention")
        elif char == LINK_OPEN:
            at = links.get(match.start())
            url = href(at) if at is not None else None
            if url is not None:
                out.append(f'<a href="{html.escape(url)}">')
                opened.append("</a>")
                kinds.append("a")
        elif char in _OPENS:
            tag = _OPENS[char]
            out.append(f"<{tag}>")
            opened.append(f"</{tag}>")
            kinds.append(tag)
        else:
            kind = "ng-mention" if char == MARK_CLOSE else "a" if char == LINK_CLOSE else None
            kind = kind or _CLOSES[char]
            if kind in kinds:  # close it, and whatever was opened inside it
                while kinds:
                    out.append(opened.pop())
                    if kinds.pop() == kind:
                        break
    out.append(html.escape(text[position:], quote=False))
    out += reversed(opened)
    return "".join(out)


def excerpt_text(text: str) -> str:
    """Marked text as the plain text a reader sees.

    >>> excerpt_text(MARK_OPEN + "a" + MARK_CLOSE + " " + link_token("b", 3) + STAMP_OPEN + "5")
    'a b'
    """
    return _TOKEN.sub("", text)

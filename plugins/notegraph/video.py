"""Video moments in notes: timestamp anchors and their repair.

Notes cite a moment of their video with
``<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`` after the sentence it supports.
"""

from __future__ import annotations

import re

__all__ = ["unwrap_linked_stamps"]

_WRAPPED = re.compile(r"\[\d{1,2}(?::\d{2}){1,2}\]\((?=<a\b[^>\n]*\byt-timestamp\b)")
_ANCHOR_END = re.compile(r"</a>(\))?", re.IGNORECASE)


def unwrap_linked_stamps(body: str) -> tuple[str, int]:
    """Undo exports that wrapped a timestamp anchor in a Markdown link, and count them.

    ``[00:01:47](<a class="yt-timestamp" data-t="00:01:47">[00:01:47]</a>)`` is no link
    (its "URL" is HTML) and renders as a broken one; the anchor alone is what was meant.

    >>> a = '<a class="yt-timestamp" data-t="0:01:47">'
    >>> b = '<a class="yt-timestamp" data-t="0:06:32">'
    >>> wrapped = f"x [0:01:47]({a}[0:01:47]</a>, [0:06:32]({b}[0:06:32]</a>)."
    >>> text, count = unwrap_linked_stamps(wrapped)
    >>> text == f"x {a}[0:01:47]</a>, {b}[0:06:32]</a>.", count
    (True, 2)
    """
    out: list[str] = []
    position = 0
    count = 0
    for match in _WRAPPED.finditer(body):
        if match.start() < position:
            continue
        end = _ANCHOR_END.search(body, match.end())
        if end is None:
            continue
        out.append(body[position : match.start()])
        out.append(body[match.end() : end.start()] + "</a>")
        position = end.end()
        count += 1
    out.append(body[position:])
    return "".join(out), count

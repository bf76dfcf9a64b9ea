"""Video moments in notes: timestamp anchors and their repair.

Notes cite a moment of their video with
``<a class="yt-timestamp" data-t="HH:MM:SS">[HH:MM:SS]</a>`` after the sentence it supports.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

from notegraph.core.base.pickling import by_fields

__all__ = [
    "Video",
    "Stamp",
    "Anchor",
    "anchors",
    "MAX_ANCHOR_TEXT",
    "unwrap_linked_stamps",
    "MAX_SECONDS",
    "time_problem",
    "parse_seconds",
    "clock",
    "format_seconds",
    "youtube_id",
    "self_hosted",
    "watch_url",
    "find_stamps",
    "Stamps",
]

_TAGS = re.compile(r"<[^<>]*>")

# An opening tag ``<a ...>``: attributes up to the first ``>`` outside quoted values, never
# across a ``<`` (so that a failed match stops at the next tag: linear in the text). Each
# step of the loop has one way to match (a plain character, or ``=`` with what follows), so
# there is no backtracking between alternatives either.
_ANCHOR_OPEN = re.compile(
    r"""<a(?=[\s/>])(?P<attrs>(?:[^<>=]|=\s*"[^"<]*"|=\s*'[^'<]*'|=(?!\s*["']))*)>""",
    re.IGNORECASE,
)
_ANCHOR_CLOSE_OR_OPEN = re.compile(r"</a\s*>|<a(?=[\s/>])", re.IGNORECASE)
_TIME_LIKE = re.compile(r"\[?[\d:]{0,12}\]?")
_LOOSE_TIME = re.compile(r"\[?\d{1,3}(?::\d{1,2}){1,3}\]{0,2}")
_STAMP_CLASS = re.compile(r"\byt-timestamp\b", re.IGNORECASE)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
MAX_ANCHOR_TEXT = 200
"""An anchor's ``</a>`` must come within this many characters of its opening tag, on the
same line and before any other anchor; else the anchor is *unclosed* and ends after its
time (``<a ...>[00:15:58]`` and the rest of the line)."""


@by_fields
@dataclass(frozen=True, slots=True)
class Anchor:
    """One ``<a ...>`` of a text, as far as it reaches (see `MAX_ANCHOR_TEXT`)."""

    start: int
    end: int
    attrs: tuple[int, int]
    """Span of the opening tag's attributes."""
    text: tuple[int, int]
    """Span of what the anchor shows (markup included)."""
    closed: bool


def anchors(text: str) -> list[Anchor]:
    """Every ``<a ...>`` of `text`: its opening tag, its text and its ``</a>``.

    One model for every reader of timestamps: an anchor never reaches past its line, another
    anchor, or `MAX_ANCHOR_TEXT` characters. Without a ``</a>`` in reach, an anchor ends
    after the time that follows its tag, if any. Linear in the length of `text`.

    >>> text = '<a href="x">[1:00]</a> <a class="yt-timestamp" data-t="0:05">[0:05]] next'
    >>> [(a.closed, text[a.start : a.end]) for a in anchors(text)]
    [(True, '<a href="x">[1:00]</a>'), (False, '<a class="yt-timestamp" data-t="0:05">[0:05]]')]
    """
    found: list[Anchor] = []
    for match in _ANCHOR_OPEN.finditer(text):
        tag_end = match.end()
        line_end = text.find("\n", tag_end, tag_end + MAX_ANCHOR_TEXT)
        reach = line_end if line_end != -1 else min(len(text), tag_end + MAX_ANCHOR_TEXT)
        close = _ANCHOR_CLOSE_OR_OPEN.search(text, tag_end, reach)
        if close is not None and close.group(0)[:2] == "</":
            text_span, end, closed = (tag_end, close.start()), close.end(), True
        else:
            loose = _LOOSE_TIME.match(text, tag_end, reach)
            text_end = loose.end() if loose else tag_end
            text_span, end, closed = (tag_end, text_end), text_end, False
        found.append(Anchor(match.start(), end, match.span("attrs"), text_span, closed))
    return found


def _is_stamp_anchor(text: str, anchor: Anchor) -> bool:
    return _STAMP_CLASS.search(text, *anchor.attrs) is not None


def unwrap_linked_stamps(body: str) -> tuple[str, int]:
    """Undo exports that wrapped a timestamp anchor in a Markdown link, and count them.

    ``[00:01:47](<a class="yt-timestamp" data-t="00:01:47">[00:01:47]</a>)`` is no link
    (its "URL" is HTML) and renders as a broken one; the anchor alone is what was meant.
    A link whose text is words keeps them, before the anchor:
    ``[a sculpture](<a ...>[00:03:37]</a>)`` becomes ``a sculpture <a ...>[00:03:37]</a>``.

    >>> a = '<a class="yt-timestamp" data-t="0:01:47">'
    >>> b = '<a class="yt-timestamp" data-t="0:06:32">'
    >>> wrapped = f"x [0:01:47]({a}[0:01:47]</a>, [a sculpture]({b}[0:06:32]</a>)."
    >>> text, count = unwrap_linked_stamps(wrapped)
    >>> text == f"x {a}[0:01:47]</a>, a sculpture {b}[0:06:32]</a>.", count
    (True, 2)
    """
    if "](<a" not in body and "](<A" not in body:  # most notes: nothing to do
        return body, 0
    out: list[str] = []
    position = 0
    count = 0
    for anchor in anchors(body):
        if body[anchor.start - 2 : anchor.start] != "](" or not _is_stamp_anchor(body, anchor):
            continue
        close = anchor.start - 2
        line_start = body.rfind("\n", 0, close) + 1
        opening = body.rfind("[", max(line_start, position, close - MAX_ANCHOR_TEXT), close)
        if opening == -1 or "]" in body[opening + 1 : close]:
            continue
        words = body[opening + 1 : close].strip()
        end = anchor.end + (body[anchor.end : anchor.end + 1] == ")")
        out.append(body[position:opening])
        if not _TIME_LIKE.fullmatch(words):  # the words of the link, not a time again
            out.append(words + " ")
        out.append(body[anchor.start : anchor.end])
        position = end
        count += 1
    out.append(body[position:])
    return "".join(out), count


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_URL = re.compile(
    r"^(?:https?://)?(?:www\.|m\.|music\.)?(?:youtube\.com|youtube-nocookie\.com|youtu\.be)/"
    r"(?:watch\?(?:[^#]*&)?v=|embed/|shorts/|live/|v/)?([A-Za-z0-9_-]{11})(?:[?&#/].*)?$"
)
_DATA_T = re.compile(r"""\bdata-t\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_PLAIN_STAMP = re.compile(r"(?<![\[\w(])\[(\d{1,3}(?::\d{1,2}){1,2})\](?![(\[:\w])")
_ANY_TAG = re.compile(r"<[a-zA-Z/][^<>]*>")
_LINK_ADDRESS = re.compile(r"\]\([^()\n]*\)")
_SELF_HOSTED = re.compile(r"^(?:https?://[^\s\"'<>]+|[^\s\"'<>:]+)$")


@by_fields
@dataclass(frozen=True, slots=True)
class Video:
    """The video a note is about: a YouTube id, or a self-hosted file or URL."""

    youtube: str | None = None
    src: str | None = None
    """Self-hosted video: an absolute http(s) URL or a vault path."""

    @property
    def key(self) -> str:
        """Identifies the player a timestamp belongs to (``yt:ID`` or ``file:SRC``)."""
        return f"yt:{self.youtube}" if self.youtube else f"file:{self.src}"


@by_fields
@dataclass(frozen=True, slots=True)
class Stamp:
    """A timestamp in a note's body: an anchor or a plain ``[HH:MM:SS]``."""

    start: int
    end: int
    text: str
    """What the reader sees, e.g. ``[00:11:42]``."""
    seconds: int | None
    """None when the stamp is not a valid time."""
    anchor: bool
    repaired: str | None = None
    """An anchor's ``data-t`` that was no valid time while its text was: the time comes
    from the text (exports write ``data-t="00:42:07]"`` with a stray bracket)."""
    unclosed: bool = False
    """An anchor without its ``</a>`` (see `anchors`): it ends after its time."""
    typo: str | None = None
    """The class of an anchor read as a stamp for its ``data-t`` and the time it shows,
    although its class is not ``yt-timestamp`` (``yt_timestamp``, ``yt>timestamp``)."""


_ANCHOR, _UNCLOSED = 1, 2
_NO_ODD: tuple[None, None] = (None, None)


def _stamp(
    start: int,
    end: int,
    text: str,
    seconds: int,
    flags: int,
    odd: tuple[str | None, str | None],
) -> Stamp:
    """A `Stamp` from one row of `Stamps`' columns (`seconds` -1: no valid time)."""
    repaired, typo = odd
    return Stamp(
        start,
        end,
        text,
        None if seconds < 0 else seconds,
        bool(flags & _ANCHOR),
        repaired,
        bool(flags & _UNCLOSED),
        typo,
    )


class Stamps(Sequence[Stamp]):
    """A note's stamps in body order, kept as columns (a few bytes a stamp, not an object of
    eight fields: a video wiki has hundreds of thousands); each read gives a `Stamp`.

    >>> stamps = Stamps([Stamp(4, 14, "[1:02]", 62, False), Stamp(20, 30, "x", None, True)])
    >>> stamps[1] == Stamp(20, 30, "x", None, anchor=True), len(stamps), stamps.starts[1]
    (True, 2, 20)
    >>> stamps == list(stamps), stamps[-1].seconds, [s.seconds for s in stamps]
    (True, None, [62, None])
    """

    __slots__ = ("starts", "_ends", "_seconds", "_flags", "_texts", "_odd")

    def __init__(self, stamps: Iterable[Stamp] = ()) -> None:
        self.starts = array("I")
        """Where each stamp starts in the body (for `bisect`)."""
        self._ends = array("I")
        self._seconds = array("i")  # -1: no valid time
        self._flags = bytearray()
        self._texts: list[str] = []
        self._odd: dict[int, tuple[str | None, str | None]] = {}
        """(repaired, typo) of the few stamps that have either."""
        for index, stamp in enumerate(stamps):
            self.starts.append(stamp.start)
            self._ends.append(stamp.end)
            self._seconds.append(-1 if stamp.seconds is None else stamp.seconds)
            self._flags.append(_ANCHOR * stamp.anchor | _UNCLOSED * stamp.unclosed)
            self._texts.append(stamp.text)
            if stamp.repaired is not None or stamp.typo is not None:
                self._odd[index] = (stamp.repaired, stamp.typo)

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Stamp: ...

    @overload
    def __getitem__(self, index: slice) -> list[Stamp]: ...

    def __getitem__(self, index: int | slice) -> Stamp | list[Stamp]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return _stamp(
            self.starts[index],
            self._ends[index],
            self._texts[index],
            self._seconds[index],
            self._flags[index],
            self._odd.get(index, _NO_ODD),
        )

    def __iter__(self) -> Iterator[Stamp]:
        odd = self._odd
        columns = zip(self.starts, self._ends, self._texts, self._seconds, self._flags, strict=True)
        for index, (start, end, text, seconds, flags) in enumerate(columns):
            yield _stamp(
                start, end, text, seconds, flags, odd.get(index, _NO_ODD) if odd else _NO_ODD
            )

    def spans(self, lo: int, hi: int) -> Iterator[tuple[int, int, int, bool]]:
        """(index, start, end, has a valid time) of each stamp that starts in [lo, hi), in
        order, without making `Stamp` objects (the sentence around each link reads them)."""
        starts, ends, seconds = self.starts, self._ends, self._seconds
        for index in range(bisect.bisect_left(starts, lo), len(starts)):
            start = starts[index]
            if start >= hi:
                return
            yield index, start, ends[index], seconds[index] >= 0

    def timed(self) -> list[int]:
        """Indexes of the stamps with a valid time, in order (no `Stamp` made)."""
        return [index for index, seconds in enumerate(self._seconds) if seconds >= 0]

    def span(self, index: int) -> tuple[int, int]:
        """Where stamp `index` starts and ends in the body (no `Stamp` made)."""
        return self.starts[index], self._ends[index]

    def moments(self) -> list[int]:
        """The distinct valid times of the stamps, in seconds, in order (no `Stamp` made).

        >>> stamps = [Stamp(0, 4, "[1:02]", 62, False), Stamp(5, 9, "[0:01]", 1, False)]
        >>> stamps += [Stamp(10, 14, "[1:02]", 62, False), Stamp(15, 19, "[x]", None, False)]
        >>> Stamps(stamps).moments()
        [1, 62]
        """
        return sorted({seconds for seconds in self._seconds if seconds >= 0})

    def anchor_starts(self) -> set[int]:
        """Where each stamp written as an anchor starts."""
        return {s for s, f in zip(self.starts, self._flags, strict=True) if f & _ANCHOR}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Stamps | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Stamps({list(self)!r})"


MAX_SECONDS = 24 * 3600
"""No video moment lies past 24 hours: a stamp beyond that is minutes written as hours."""


def time_problem(text: str) -> str | None:
    """Why `text` is no video time (None when it is one): the reason a check reports.

    >>> for text in ["00:11:42", "50:34:00", "00:99:00", "1:2:3:4"]:
    ...     print(text, time_problem(text))
    00:11:42 None
    50:34:00 over 24 hours (minutes written as hours?)
    00:99:00 minutes and seconds must be below 60
    1:2:3:4 not HH:MM:SS or MM:SS
    """
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(
        p.isascii() and p.isdigit() and len(p) <= 3 for p in parts
    ):
        return "not HH:MM:SS or MM:SS"
    if any(len(p) > 2 for p in parts[1:]):
        return "not HH:MM:SS or MM:SS"
    numbers = [int(p) for p in parts]
    if any(n >= 60 for n in numbers[1:]):
        return "minutes and seconds must be below 60"
    hours, minutes, seconds = ([0] + numbers)[-3:]
    if hours * 3600 + minutes * 60 + seconds > MAX_SECONDS:
        return "over 24 hours (minutes written as hours?)"
    return None


def parse_seconds(text: str) -> int | None:
    """Seconds of ``HH:MM:SS`` or ``MM:SS``; None for anything else (see `time_problem`),
    a time past 24 hours included.

    >>> [parse_seconds(t) for t in ["00:11:42", "11:42", "1:02:03", "00:99:00", "50:34:00", "x"]]
    [702, 702, 3723, None, None, None]
    """
    if time_problem(text) is not None:
        return None
    hours, minutes, seconds = ([0] + [int(p) for p in text.strip().split(":")])[-3:]
    return hours * 3600 + minutes * 60 + seconds


def clock(seconds: int) -> str:
    """A moment as video players show it: ``M:SS`` below an hour, else ``H:MM:SS``.

    >>> clock(0), clock(62), clock(702), clock(3723)
    ('0:00', '1:02', '11:42', '1:02:03')
    """
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_seconds(seconds: int) -> str:
    """
    >>> format_seconds(702), format_seconds(3723)
    ('00:11:42', '01:02:03')
    """
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def youtube_id(value: object) -> str | None:
    """The YouTube id in a frontmatter value: an id, or any usual YouTube URL.

    >>> [youtube_id(v) for v in ["7gaPPrAd7nc", "https://youtu.be/7gaPPrAd7nc?t=3",
    ...     "https://www.youtube.com/watch?v=7gaPPrAd7nc&t=60s", "not an id", "<script>"]]
    ['7gaPPrAd7nc', '7gaPPrAd7nc', '7gaPPrAd7nc', None, None]
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if _YOUTUBE_ID.match(value):
        return value
    match = _YOUTUBE_URL.match(value)
    return match.group(1) if match else None


def self_hosted(value: object) -> str | None:
    """A usable ``video:`` value: an http(s) URL or a relative path, nothing else.

    >>> [self_hosted(v) for v in ["media/talk.mp4", "https://x.org/a.webm", "javascript:alert(1)"]]
    ['media/talk.mp4', 'https://x.org/a.webm', None]
    """
    if not isinstance(value, str) or not _SELF_HOSTED.match(value.strip()):
        return None
    return value.strip()


def watch_url(video: Video, seconds: int | None = None, src_href: str | None = None) -> str:
    """Where a timestamp link goes with JavaScript off: YouTube at ``t=``, or ``#t=``.

    >>> watch_url(Video(youtube="7gaPPrAd7nc"), 702)
    'https://www.youtube.com/watch?v=7gaPPrAd7nc&t=702s'
    >>> watch_url(Video(src="talk.mp4"), 12, src_href="../media/talk.mp4")
    '../media/talk.mp4#t=12'
    """
    if video.youtube:
        base = f"https://www.youtube.com/watch?v={video.youtube}"
        return f"{base}&t={seconds}s" if seconds is not None else base
    href = src_href or video.src or ""
    return f"{href}#t={seconds}" if seconds is not None else href


def find_stamps(body: str, masked: str, plain: bool) -> list[Stamp]:
    """Timestamp anchors (and, when `plain`, bare ``[MM:SS]`` stamps) outside code.

    An anchor's time is its ``data-t``; its text when ``data-t`` is missing or empty, or
    when ``data-t`` is no valid time but the text is (the stamp is then `Stamp.repaired`).
    Where an anchor reaches is `anchors`' model: an anchor without ``</a>`` ends after its
    time (`Stamp.unclosed`). In a note with a video (`plain`), an anchor whose class is
    misspelled but that has a ``data-t`` and shows a time is a stamp too (`Stamp.typo`).

    >>> body = 'A claim <a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>. B [03:04].'
    >>> [(s.text, s.seconds, s.anchor) for s in find_stamps(body, body, plain=True)]
    [('[00:01:02]', 62, True), ('[03:04]', 184, False)]
    >>> body = '<a class="yt-timestamp" data-t="00:42:07]">[00:42:07]</a>'
    >>> [(s.seconds, s.repaired) for s in find_stamps(body, body, plain=False)]
    [(2527, '00:42:07]')]
    >>> body = '<a class="yt_timestamp" data-t="00:00:05">[00:00:05]</a>'
    >>> [(s.seconds, s.typo) for s in find_stamps(body, body, plain=True)]
    [(5, 'yt_timestamp')]
    """
    stamps: list[Stamp] = []
    found = anchors(masked) if "<" in masked else []
    for anchor in found:
        stamp = _anchor_stamp(body, anchor, plain)
        if stamp is not None:
            stamps.append(stamp)
    if plain and "[" in masked:
        taken = sorted(
            [(a.start, a.end) for a in found]
            + [m.span() for m in _ANY_TAG.finditer(masked)]
            + [m.span() for m in _LINK_ADDRESS.finditer(masked)]
        )
        starts = [lo for lo, _ in taken]
        ends = list(itertools.accumulate((hi for _, hi in taken), max))
        for match in _PLAIN_STAMP.finditer(masked):
            index = bisect.bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < ends[index]:
                continue
            seconds = _shared(parse_seconds(match.group(1)))
            text = _shared(match.group(0))
            stamps.append(Stamp(match.start(), match.end(), text, seconds, anchor=False))
    return sorted(stamps, key=lambda s: s.start)


_SHARED: dict[object, object] = {}
"""One object for each time and each stamp's text: a video wiki has hundreds of thousands
of stamps (tubegraph: 742,000) and far fewer distinct times."""
_SHARED_MAX = 200_000
_S = TypeVar("_S")


def _shared(value: _S) -> _S:
    """`value`, or an equal one already kept (short texts and times only)."""
    if value is None or (isinstance(value, str) and len(value) > 16):
        return value
    kept = _SHARED.get(value)
    if kept is None:
        if len(_SHARED) >= _SHARED_MAX:
            return value
        kept = _SHARED.setdefault(value, value)
    return kept  # type: ignore[return-value]


def _anchor_stamp(body: str, anchor: Anchor, plain: bool) -> Stamp | None:
    """The stamp an anchor is, or None (see `find_stamps`)."""
    attrs = body[anchor.attrs[0] : anchor.attrs[1]]
    text = html.unescape(_TAGS.sub("", body[anchor.text[0] : anchor.text[1]])).strip()
    value = _DATA_T.search(attrs)
    raw_time = next((g for g in value.groups() if g is not None), "") if value else ""
    data_t = html.unescape(raw_time)
    typo = None
    if not _STAMP_CLASS.search(attrs):
        shows_time = parse_seconds(text.strip("[]")) is not None
        if not (plain and data_t.strip() and shows_time):
            return None
        written = _CLASS.search(attrs)
        typo = next((g for g in written.groups() if g is not None), "") if written else ""
    seconds = parse_seconds(data_t or text.strip("[]"))
    repaired = None
    if seconds is None and data_t.strip():
        seconds = parse_seconds(text.strip("[]"))
        repaired = data_t if seconds is not None else None
    return Stamp(
        anchor.start,
        anchor.end,
        _shared(text),
        _shared(seconds),
        anchor=True,
        repaired=repaired,
        unclosed=not anchor.closed,
        typo=typo,
    )

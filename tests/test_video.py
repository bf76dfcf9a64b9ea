"""Video moments, unit by unit: tables of (input, expected) for the timestamp core.

`video` parses times, video ids and timestamp anchors; `links` finds the
sentence (and the moments) around a link or before a stamp. Whole-site behaviour is in
`test_video_site.py`, the player in a browser in `test_browser_video.py`.
"""

from __future__ import annotations

from typing import Any

import pytest
from notegraph.core.base.names import NoteId
from notegraph.core.base.report import Report
from notegraph.core.linker.links import (
    CONTEXT_CHARS,
    MARK_CLOSE,
    MARK_OPEN,
    sentence_around,
    sentence_before,
)
from notegraph.core.pages.pages import MAX_NOTE_GROUPS, group_moments
from notegraph.core.vault.notes import Note, parse_note
from notegraph.core.vault.scan import mask
from notegraph.core.vault.video import (
    Video,
    clock,
    find_stamps,
    format_seconds,
    parse_seconds,
    self_hosted,
    time_problem,
    unwrap_linked_stamps,
    watch_url,
    youtube_id,
)

ID = "7gaPPrAd7nc"


def anchor(data_t: str, text: str | None = None) -> str:
    """A timestamp anchor as exported notes write it."""
    return f'<a class="yt-timestamp" data-t="{data_t}">{text or f"[{data_t}]"}</a>'


# --- parse_seconds / format_seconds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:11:42", 702),
        ("11:42", 702),
        ("1:02:03", 3723),
        ("00:00:00", 0),
        ("0:00", 0),
        ("00:59", 59),
        ("10:00:00", 36000),
        ("24:00:00", 86400),  # a day is the longest a video may run
        ("24:00:01", None),  # past a day: no video is that long
        ("50:34:00", None),  # minutes written as hours (50 min 34 s)
        ("100:00:00", None),
        ("99:59", 5999),  # minutes past 60 in MM:SS are a long video, not a mistake
        (" 01:02 ", 62),  # surrounding space is not part of the time
        ("00:99:00", None),  # minutes out of range
        ("00:00:60", None),  # seconds out of range
        ("00:60", None),
        ("1:2:3:4", None),  # four parts
        ("42", None),  # one part is no time
        ("01:02:", None),
        ("1::2", None),
        ("00:001", None),  # three-digit seconds
        ("-1:00", None),
        ("1.5:00", None),
        ("soon", None),
        ("", None),
        ("²:00", None),  # a digit to str.isdigit, but not to int(): must not raise
    ],
)
def test_parse_seconds(text: str, expected: int | None):
    assert parse_seconds(text) == expected


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "00:00:00"),
        (59, "00:00:59"),
        (60, "00:01:00"),
        (702, "00:11:42"),
        (3599, "00:59:59"),
        (3600, "01:00:00"),
        (3723, "01:02:03"),
        (86400, "24:00:00"),
    ],
)
def test_format_seconds(seconds: int, expected: str):
    assert format_seconds(seconds) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("01:14:30", None),
        ("50:34:00", "over 24 hours (minutes written as hours?)"),
        ("25:00:00", "over 24 hours (minutes written as hours?)"),
        ("00:75", "minutes and seconds must be below 60"),
        ("01:60:00", "minutes and seconds must be below 60"),
        ("01:00:13:00", "not HH:MM:SS or MM:SS"),
        ("soon", "not HH:MM:SS or MM:SS"),
    ],
)
def test_time_problem_says_why_a_stamp_is_no_time(text: str, problem: str | None):
    assert time_problem(text) == problem
    assert (parse_seconds(text) is None) == (problem is not None)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "0:00"),
        (9, "0:09"),
        (62, "1:02"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (86400, "24:00:00"),
    ],
)
def test_clock_shows_a_moment_as_players_do(seconds: int, shown: str):
    assert clock(seconds) == shown


@pytest.mark.parametrize("seconds", [0, 1, 59, 61, 702, 3599, 3723, 86399])
def test_format_then_parse_is_identity(seconds: int):
    assert parse_seconds(format_seconds(seconds)) == seconds


# --- youtube_id / self_hosted --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # a bare id
        (ID, ID),
        ("dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("a-b_c-d_e-f", "a-b_c-d_e-f"),
        (f"  {ID}\n", ID),
        # youtu.be
        (f"https://youtu.be/{ID}", ID),
        (f"https://youtu.be/{ID}?t=3", ID),
        (f"https://youtu.be/{ID}#t=3", ID),
        (f"youtu.be/{ID}", ID),
        # watch?v= with other parameters before or after
        (f"https://www.youtube.com/watch?v={ID}", ID),
        (f"https://www.youtube.com/watch?v={ID}&t=60s", ID),
        (f"https://www.youtube.com/watch?v={ID}&list=PL1&index=2", ID),
        (f"https://www.youtube.com/watch?feature=share&v={ID}", ID),
        (f"https://www.youtube.com/watch?list=PL1&v={ID}&index=2", ID),
        (f"http://youtube.com/watch?v={ID}", ID),
        (f"youtube.com/watch?v={ID}", ID),
        # other players and hosts of YouTube
        (f"https://www.youtube.com/embed/{ID}", ID),
        (f"https://www.youtube.com/embed/{ID}?start=30", ID),
        (f"https://www.youtube-nocookie.com/embed/{ID}", ID),
        (f"https://www.youtube.com/shorts/{ID}", ID),
        (f"https://youtube.com/shorts/{ID}?feature=share", ID),
        (f"https://www.youtube.com/live/{ID}?si=abc", ID),
        (f"https://m.youtube.com/watch?v={ID}", ID),
        (f"https://music.youtube.com/watch?v={ID}", ID),
        # not an id
        ("7gaPPrAd7n", None),  # 10 characters
        ("7gaPPrAd7ncX", None),  # 12 characters
        ("7gaPPrAd7n!", None),
        ("not an id", None),
        ("", None),
        ('"><script>x</script>', None),
        ("javascript:alert(1)", None),
        # not YouTube, or not a video of it
        (f"https://vimeo.com/{ID}", None),
        (f"https://evil.example/youtube.com/watch?v={ID}", None),
        (f"https://www.youtube.com.evil.example/watch?v={ID}", None),
        (f"https://www.youtube.com/watch?v={ID}X", None),
        (f"https://www.youtube.com/watch?vv={ID}", None),
        (f"https://www.youtube.com/watch?xv={ID}", None),
        ("https://www.youtube.com/watch?v=", None),
        ("https://www.youtube.com/@somechannel", None),
        # not strings (YAML gives numbers, lists, mappings, null)
        (None, None),
        (12345678901, None),
        (3.5, None),
        (True, None),
        ([ID], None),
        ({"id": ID}, None),
    ],
)
def test_youtube_id(value: object, expected: str | None):
    assert youtube_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("media/talk.mp4", "media/talk.mp4"),
        ("talk.webm", "talk.webm"),
        ("  media/talk.mp4 ", "media/talk.mp4"),
        ("https://cdn.example.org/a.webm", "https://cdn.example.org/a.webm"),
        ("http://cdn.example.org/a.mp4?x=1", "http://cdn.example.org/a.mp4?x=1"),
        ("javascript:alert(1)", None),
        ("data:video/mp4;base64,AAAA", None),
        ("ftp://example.org/a.mp4", None),
        ("media/my talk.mp4", None),  # a space would break out of the attribute
        ('media/a.mp4"><script>x</script>', None),
        ("media/<b>.mp4", None),
        ("", None),
        ("   ", None),
        (None, None),
        (42, None),
        (["media/talk.mp4"], None),
    ],
)
def test_self_hosted(value: object, expected: str | None):
    assert self_hosted(value) == expected


# --- watch_url -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("video", "seconds", "src_href", "expected"),
    [
        (Video(youtube=ID), 702, None, f"https://www.youtube.com/watch?v={ID}&t=702s"),
        (Video(youtube=ID), 0, None, f"https://www.youtube.com/watch?v={ID}&t=0s"),
        (Video(youtube=ID), None, None, f"https://www.youtube.com/watch?v={ID}"),
        # the page's relative URL of the file wins over the vault path
        (Video(src="media/talk.mp4"), 12, "../../media/talk.mp4", "../../media/talk.mp4#t=12"),
        (Video(src="media/talk.mp4"), 0, "../talk.mp4", "../talk.mp4#t=0"),
        (Video(src="media/talk.mp4"), None, "../talk.mp4", "../talk.mp4"),
        (Video(src="https://cdn.example.org/a.mp4"), 5, None, "https://cdn.example.org/a.mp4#t=5"),
    ],
)
def test_watch_url(video: Video, seconds: int | None, src_href: str | None, expected: str):
    assert watch_url(video, seconds, src_href) == expected


@pytest.mark.parametrize(
    ("video", "key"),
    [(Video(youtube=ID), f"yt:{ID}"), (Video(src="media/talk.mp4"), "file:media/talk.mp4")],
)
def test_video_key(video: Video, key: str):
    assert video.key == key


# --- find_stamps ---------------------------------------------------------------------------------

A62 = anchor("00:01:02")
UNDERSCORED = '<a class="yt_timestamp" data-t="00:36:47">[00:36:47]</a>'
GREATER = '<a class="yt>timestamp" data-t="00:49:07">[00:49:07]</a>'
DOUBLED = '<a class="yt="yt-timestamp" data-t="01:00:14">[01:00:14]'


@pytest.mark.parametrize(
    ("body", "plain", "expected"),
    [
        # anchors: (text shown, seconds, is an anchor, the exact span the stamp replaces)
        (f"A claim {A62}.", False, [("[00:01:02]", 62, True, A62)]),
        (f"A claim {A62}.", True, [("[00:01:02]", 62, True, A62)]),
        # data-t wins over the text when they disagree
        (
            anchor("00:01:02", "[00:09:09]") + ".",
            False,
            [("[00:09:09]", 62, True, anchor("00:01:02", "[00:09:09]"))],
        ),
        (
            "<a class='yt-timestamp' data-t='00:01:02'>[00:01:02]</a>",
            False,
            [("[00:01:02]", 62, True, "<a class='yt-timestamp' data-t='00:01:02'>[00:01:02]</a>")],
        ),
        (
            '<a class="yt-timestamp" data-t=00:00:07>[x]</a>',
            False,
            [("[x]", 7, True, '<a class="yt-timestamp" data-t=00:00:07>[x]</a>')],
        ),
        (
            '<A CLASS="yt-timestamp" DATA-T="00:00:03">[t]</A>',
            False,
            [("[t]", 3, True, '<A CLASS="yt-timestamp" DATA-T="00:00:03">[t]</A>')],
        ),
        # no data-t (or an empty one): the text is the time
        (
            '<a class="yt-timestamp">[00:00:09]</a>',
            False,
            [("[00:00:09]", 9, True, '<a class="yt-timestamp">[00:00:09]</a>')],
        ),
        (
            '<a class="yt-timestamp" data-t="">[00:00:09]</a>',
            False,
            [("[00:00:09]", 9, True, '<a class="yt-timestamp" data-t="">[00:00:09]</a>')],
        ),
        # markup inside the anchor is not part of the text
        (
            anchor("00:00:05", "<b>[00:00:05]</b>"),
            False,
            [("[00:00:05]", 5, True, anchor("00:00:05", "<b>[00:00:05]</b>"))],
        ),
        # an invalid time is still a stamp (to report), with no seconds
        (anchor("00:99:00"), False, [("[00:99:00]", None, True, anchor("00:99:00"))]),
        (anchor("1:2:3:4"), False, [("[1:2:3:4]", None, True, anchor("1:2:3:4"))]),
        (anchor("soon"), False, [("[soon]", None, True, anchor("soon"))]),
        # two anchors, in body order
        (
            f"{anchor('00:00:02')} and {anchor('00:00:01')}",
            False,
            [
                ("[00:00:02]", 2, True, anchor("00:00:02")),
                ("[00:00:01]", 1, True, anchor("00:00:01")),
            ],
        ),
        # an anchor of another class is no stamp
        ('<a class="other" data-t="00:00:05">[00:00:05]</a>', False, []),
        # plain stamps: only when plain=True
        ("A fact [00:01:02].", True, [("[00:01:02]", 62, False, "[00:01:02]")]),
        ("A fact [01:02].", True, [("[01:02]", 62, False, "[01:02]")]),
        ("A fact [00:01:02].", False, []),
        ("(see [00:02])", True, [("[00:02]", 2, False, "[00:02]")]),
        ("Bad [00:75].", True, [("[00:75]", None, False, "[00:75]")]),
        (
            f"Mixed {A62} then [03:04].",
            True,
            [("[00:01:02]", 62, True, A62), ("[03:04]", 184, False, "[03:04]")],
        ),
        # plain stamps are never taken inside an anchor, a link or code
        (
            anchor("00:00:05", "at [00:00:05]"),
            True,
            [("at [00:00:05]", 5, True, anchor("00:00:05", "at [00:00:05]"))],
        ),
        ('See <a href="https://example.org/">[00:03]</a> there.', True, []),
        ("A [00:01](https://example.org/) link.", True, []),
        ("A [00:01][ref] reference link.", True, []),
        ("[00:01]: https://example.org/ is a definition.", True, []),
        ("A [[00:02]] wikilink.", True, []),
        ("Glued x[00:02] to a word.", True, []),
        ("Four parts [1:2:3:4].", True, []),
        ("Code `[00:02]` span.", True, []),
        ("```\n[00:02]\n```\n", True, []),
        ("<!-- [00:04] -->", True, []),
        ('<span title="[00:04]">x</span>', True, []),  # inside a tag
        # an anchor never closed ends after its time: it swallows no later paragraph
        (
            '<a class="yt-timestamp" data-t="00:15:58">[00:15:58]].\n\nNext ' + A62,
            False,
            [
                ("[00:15:58]]", 958, True, '<a class="yt-timestamp" data-t="00:15:58">[00:15:58]]'),
                ("[00:01:02]", 62, True, A62),
            ],
        ),
        (
            '<a class="yt-timestamp" data-t="00:12:27">[00:12:27]</sup>. More ' + A62,
            False,
            [
                ("[00:12:27]", 747, True, '<a class="yt-timestamp" data-t="00:12:27">[00:12:27]'),
                ("[00:01:02]", 62, True, A62),
            ],
        ),
        (
            '<a class="yt-timestamp" data-t="00:00:05">',
            False,
            [("", 5, True, '<a class="yt-timestamp" data-t="00:00:05">')],
        ),
        # ... and a </a> too far away, or after another anchor, is not its end
        (
            '<a class="yt-timestamp" data-t="00:00:05">' + "x" * 300 + "</a>",
            False,
            [("", 5, True, '<a class="yt-timestamp" data-t="00:00:05">')],
        ),
        # a misspelled class, a data-t and a time shown: a stamp, in a note with a video
        (
            UNDERSCORED,
            True,
            [("[00:36:47]", 2207, True, UNDERSCORED)],
        ),
        (
            GREATER,
            True,
            [("[00:49:07]", 2947, True, GREATER)],
        ),
        (
            DOUBLED,
            False,
            [("[01:00:14]", 3614, True, DOUBLED)],
        ),
        ('<a class="yt_timestamp" data-t="00:36:47">[00:36:47]</a>', False, []),  # no video
        ('<a class="yt_timestamp">[00:36:47]</a>', True, []),  # no data-t
        ('<a class="yt_timestamp" data-t="00:36:47">a talk</a>', True, []),  # no time shown
    ],
)
def test_find_stamps(body: str, plain: bool, expected: list[tuple[str, int | None, bool, str]]):
    stamps = find_stamps(body, mask(body).masked, plain)
    assert [(s.text, s.seconds, s.anchor, body[s.start : s.end]) for s in stamps] == expected


@pytest.mark.parametrize(
    ("data_t", "text", "seconds", "repaired"),
    [
        # real exports: a stray bracket in data-t, the visible text is right
        ("00:42:07]", "[00:42:07]", 2527, "00:42:07]"),
        ("[00:42:07", "[00:42:07]", 2527, "[00:42:07"),
        ("soon", "[01:02]", 62, "soon"),
        # data-t and text both invalid: no time, nothing repaired (a warning says so)
        ("00:42:07]", "[later]", None, None),
        # a valid data-t is never overridden, an empty one is no repair
        ("00:00:05", "[00:42:07]", 5, None),
        ("", "[00:00:09]", 9, None),
    ],
)
def test_invalid_data_t_falls_back_to_the_visible_time(
    data_t: str, text: str, seconds: int | None, repaired: str | None
):
    body = f"A claim {anchor(data_t, text)}."
    (stamp,) = find_stamps(body, mask(body).masked, plain=False)
    assert (stamp.seconds, stamp.repaired) == (seconds, repaired)
    report = Report()
    note = parse_note(NoteId("a.md"), f"---\nvideoId: {ID}\n---\n{body}\n", report)
    assert [s.seconds for s in note.stamps] == [seconds]
    found = [(d.level, d.line, d.col, d.code, d.message) for d in report.diagnostics]
    if repaired is not None:
        assert found == [
            (
                "info",
                4,
                9,
                "timestamp",
                f"timestamp data-t {data_t!r} is not a valid time; "
                f"the anchor's text {text!r} gives the time",
            )
        ]
    elif seconds is None:
        assert [(level, code) for level, *_, code, _ in found] == [("warning", "timestamp")]
    else:
        assert found == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            f"A claim {UNDERSCORED}.",
            "a.md:4:9: info: timestamp anchor's class is 'yt_timestamp', not 'yt-timestamp'; "
            "it is read as a timestamp for its data-t and the time it shows [timestamp]",
        ),
        (
            'A claim <a class="yt-timestamp" data-t="00:15:58">[00:15:58]].',
            "a.md:4:9: info: timestamp anchor '[00:15:58]]' has no </a> on its line; "
            "it ends after its time [timestamp]",
        ),
    ],
)
def test_repaired_anchors_are_reported(body: str, expected: str):
    report = Report()
    note = parse_note(NoteId("a.md"), f"---\nvideoId: {ID}\n---\n{body}\n", report)
    assert [str(d) for d in report.diagnostics] == [expected]
    assert [stamp.seconds is not None for stamp in note.stamps] == [True]


# --- unwrap_linked_stamps ------------------------------------------------------------------------

A107 = anchor("00:01:47")
A120 = anchor("00:02:00")


@pytest.mark.parametrize(
    ("body", "expected", "count"),
    [
        (f"x [00:01:47]({A107}) y", f"x {A107} y", 1),
        # exports that forget the closing parenthesis
        (f"x [00:01:47]({A107} y", f"x {A107} y", 1),
        (f"a [1:47]({A107}) b [2:00]({A120}) c", f"a {A107} b {A120} c", 2),
        (f"a [0:01:47]({A107}, [0:02:00]({A120}).", f"a {A107}, {A120}.", 2),
        # nothing to unwrap
        (f"x {A107} y", f"x {A107} y", 0),
        ("x [00:01:47](https://youtu.be/7gaPPrAd7nc?t=107) y", None, 0),
        ('[00:01:47](<a class="other">x</a>)', None, 0),
        # the anchor never closes: it ends after its time, and is unwrapped all the same
        (
            'x [00:01:47](<a class="yt-timestamp" data-t="00:01:47">[00:01:47] y',
            'x <a class="yt-timestamp" data-t="00:01:47">[00:01:47] y',
            1,
        ),
        # a link whose text is words: the words stay, the anchor follows them
        (f"a [sculpture of art]({A107}). Next", f"a sculpture of art {A107}. Next", 1),
        (f"[**bold** words]({A107})", f"**bold** words {A107}", 1),
        (f"varies[:1:47]({A107}).", f"varies{A107}.", 1),  # a time written wrong is a time
        # a link text that holds brackets of its own is not taken apart
        (f"[a [b] c]({A107})", None, 0),
        # a parenthesis that closes no link text
        ('no link (<a class="yt-timestamp">[1:00]</a>)', None, 0),
    ],
)
def test_unwrap_linked_stamps(body: str, expected: str | None, count: int):
    assert unwrap_linked_stamps(body) == (body if expected is None else expected, count)


# --- sentence_around / sentence_before -----------------------------------------------------------


def note(body: str, front: str = f"videoId: {ID}") -> Note:
    return parse_note(NoteId("a.md"), f"---\n{front}\n---\n{body}")


def around(n: Note, target: str) -> tuple[str, tuple[int, ...]]:
    """The sentence around the link to `target`, the link shown as ``<text>``, and its moments."""
    link = next(link for link in n.links if link.target == target)
    text, moments = sentence_around(n, link)
    return text.replace(MARK_OPEN, "<").replace(MARK_CLOSE, ">"), moments


@pytest.mark.parametrize(
    ("body", "target", "expected"),
    [
        (
            "Intro. Amazon works [[Working backwards|backwards]] from a press release [01:02]. "
            "Next.",
            "Working backwards",
            ("Amazon works <backwards> from a press release.", (62,)),
        ),
        (
            f"Kites fly [[High]] in wind {A62}. Next [[Other]] sentence.",
            "High",
            ("Kites fly <High> in wind.", (62,)),
        ),
        (
            f"Kites fly [[High]] in wind {A62}. Next [[Other]] sentence.",
            "Other",
            ("Next <Other> sentence.", ()),
        ),
        # a stamp right after the full stop still belongs to the sentence before it
        (f"Kites fly [[High]] in wind. {A62} Next.", "High", ("Kites fly <High> in wind.", (62,))),
        # ... and so not to the sentence it opens
        (
            f"Kites fly [[High]] in wind. {A62} Next [[Other]] sentence [00:05].",
            "Other",
            ("Next <Other> sentence.", (5,)),
        ),
        (
            "Two stamps [[X]] here [00:10] [00:20]. Done.",
            "X",
            ("Two stamps <X> here.", (10, 20)),
        ),
        ("Dup [[D]] [00:10] and again [00:10].", "D", ("Dup <D> and again.", (10,))),
        (
            "No stamp [[Z]] here. Stamp later [00:30].",
            "Z",
            ("No stamp <Z> here.", ()),
        ),
        (
            "Para one [00:10].\n\nPara two [[Y]] no stamp.",
            "Y",
            ("Para two <Y> no stamp.", ()),
        ),
        (
            "- A list item with [[Item]] [00:10]\n- Another item [00:20]",
            "Item",
            ("A list item with <Item>", (10,)),
        ),
        ("> quoted [[R]] text [00:40].", "R", ("quoted <R> text.", (40,))),
        (
            "Line one has [[L]]\ncontinues here [00:07].",
            "L",
            ("Line one has <L> continues here.", (7,)),
        ),
        ("Bad [[B]] stamp [00:99]. Good [00:05].", "B", ("Bad <B> stamp.", ())),
    ],
)
def test_sentence_around(body: str, target: str, expected: tuple[str, tuple[int, ...]]):
    assert around(note(body), target) == expected


@pytest.mark.parametrize(
    ("front", "body", "expected"),
    [
        # a self-hosted video has moments too
        (
            "video: media/talk.mp4",
            "Amazon [[X]] works [01:02].",
            ("Amazon <X> works.", (62,)),
        ),
        # without a video the stamp is text, and no moment
        ("title: T", "Amazon [[X]] works [01:02].", ("Amazon <X> works [01:02].", ())),
        ("title: T", f"Amazon [[X]] works {A62}.", ("Amazon <X> works.", ())),
        (f"videoId: '{ID}!'", f"Amazon [[X]] works {A62}.", ("Amazon <X> works.", ())),
    ],
)
def test_sentence_around_needs_a_video(
    front: str, body: str, expected: tuple[str, tuple[int, ...]]
):
    assert around(note(body, front), "X") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Amazon works [[Working backwards|backwards]] from a press release [01:02]. Next.",
            ["Amazon works backwards from a press release."],
        ),
        ("One [00:01]. Two **big** [00:02].", ["One.", "Two big."]),
        ("One [00:01]. Two **big** [00:02]. [00:03]", ["One.", "Two big.", "Two big."]),
        # a stamp that opens a sentence supports the one before
        (
            "First [[Q]] one [00:10]. [00:15] Second sentence [00:20].",
            ["First Q one.", "First Q one.", "Second sentence."],
        ),
        ("Sentence one. [00:05]", ["Sentence one."]),
        # ... unless there is none
        ("[00:05] opens the note.", ["opens the note."]),
        ("Two stamps here [00:10] [00:20]. Done.", ["Two stamps here.", "Two stamps here."]),
        ("Para one [00:10].\n\nPara two [00:20].", ["Para one.", "Para two."]),
        ("- Item one [00:10]\n- Item two [00:20]", ["Item one", "Item two"]),
        ("## Title [[H]] [00:50]", ["Title H"]),
        (f"Anchors count {A62}. Plain too [03:04].", ["Anchors count.", "Plain too."]),
        # an invalid stamp supports nothing
        ("Bad stamp [00:99]. Good [00:05].", ["", "Good."]),
        # what once made stamps and sentences disagree (tubegraph): every stamp its sentence
        (
            f"A [sculpture of art]({A107}). He smiles {A62}.",
            ["A sculpture of art.", "He smiles."],
        ),
        (
            '<a class="yt-timestamp" data-t="00:15:58">[00:15:58]].\n\n## Memory\n\n'
            f"Memory matters {A62}.",
            ["", "Memory matters."],
        ),
        (
            f"Low scores (<100) differ {A62}. High (>100) do not {A107}.",
            ["Low scores (<100) differ.", "High (>100) do not."],
        ),
        (
            f'1. Big <a class="yt-timestamp" data-t="00:12:27">[00:12:27]</sup>.\n2. Small {A62}.',
            ["Big.", "Small."],
        ),
        (f"[Words]({A62}", ["Words"]),  # the parenthesis never closed
        # a time in a link's address is no stamp
        ("See [the talk](https://example.org/?t=[00:05]) now [00:06].", ["See the talk now."]),
        # two stamps after one sentence leave no ", ." behind
        (
            "It is underexplored [00:06], [00:09]. Next [00:12].",
            ["It is underexplored."] * 2 + ["Next."],
        ),
        # abbreviations and quotes do not cut a sentence
        (
            'Tools, e.g. Jira, vs. Dr. Who [00:10]. He said "Ship it. Now." [00:20]',
            ["Tools, e.g. Jira, vs. Dr. Who.", 'He said "Ship it. Now."'],
        ),
        # a callout's marker is no text
        ("> [!WARNING] Vending machines fail [00:30].", ["Vending machines fail."]),
    ],
)
def test_sentence_before(body: str, expected: list[str]):
    n = note(body)
    assert [sentence_before(n, stamp) for stamp in n.stamps] == expected


def test_a_long_paragraph_gives_each_stamp_its_own_sentence():
    # Past a few sentences a paragraph is read around each stamp, not whole: same result.
    body = " ".join(f"Claim number {i} holds [00:{i:02d}]." for i in range(60))
    assert len(body) > 4 * CONTEXT_CHARS
    n = note(body)
    assert [sentence_before(n, stamp) for stamp in n.stamps] == [
        f"Claim number {i} holds." for i in range(60)
    ]


def test_sentence_before_without_a_video_is_empty():
    n = note(f"A stamp {A62}.", front="title: T")
    assert [stamp.seconds for stamp in n.stamps] == [62]
    assert sentence_before(n, n.stamps[0]) == ""


# --- video pages: groups of moments --------------------------------------------------------------


def grouped(
    cited: list[tuple[int, str, str]],
) -> list[tuple[str, list[tuple[tuple[int, ...], str]]]]:
    notes = {NoteId(n) for _, n, _ in cited}
    titles = {n: n.removesuffix(".md").upper() for n in notes}
    groups = group_moments([(t, NoteId(n), text) for t, n, text in cited], titles)
    return [(g.title, [(m.seconds, m.sentence) for m in g.moments]) for g in groups]


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        # a group per note, in the order of its first moment, each in time order
        (
            [(90, "a.md", "A late."), (10, "a.md", "A early."), (40, "b.md", "B.")],
            [("A", [((10,), "A early."), ((90,), "A late.")]), ("B", [((40,), "B.")])],
        ),
        # one sentence cited by two stamps is one line with both
        (
            [(6, "a.md", "Underexplored."), (9, "a.md", "Underexplored.")],
            [("A", [((6, 9), "Underexplored.")])],
        ),
        # ... and word for word by two notes: shown once, where it comes first
        (
            [(5, "b.md", "PMF is key."), (5, "a.md", "PMF is key!"), (7, "a.md", "Other.")],
            [("A", [((5,), "PMF is key!"), ((7,), "Other.")])],
        ),
        # near-identical sentences are different sentences: both stay
        (
            [(0, "a.md", "Finding PMF matters."), (0, "b.md", "Finding PMF is crucial.")],
            [("A", [((0,), "Finding PMF matters.")]), ("B", [((0,), "Finding PMF is crucial.")])],
        ),
        # moments without a sentence are never merged
        (
            [(1, "a.md", ""), (2, "a.md", "")],
            [("A", [((1,), ""), ((2,), "")])],
        ),
    ],
)
def test_group_moments(cited: list[tuple[int, str, str]], expected: list[Any]):
    assert grouped(cited) == expected


def test_many_notes_are_grouped_by_stretches_of_the_video():
    """Past MAX_NOTE_GROUPS notes, a group per note would be a list as long as the moments."""
    cited = [(i * 60, f"n{i:03}.md", f"Sentence {i}.") for i in range(MAX_NOTE_GROUPS + 10)]
    groups = grouped(cited)
    assert len(groups) <= MAX_NOTE_GROUPS
    assert [title for title, _ in groups[:2]] == ["0:00–5:00", "5:00–10:00"]
    assert [s for _, moments in groups for (s,), _ in moments] == [i * 60 for i in range(40)]

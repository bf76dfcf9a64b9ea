"""Video moments in whole sites: a vault with two YouTube videos and a self-hosted one.

The fixture vault (`VAULT`) is built once per value of ``use_directory_urls``. Tests read the
HTML (`htmltree`), the build's warnings and ``graph.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Built
from htmltree import Element, article, broken_links, lands_on, parse, resolve
from notegraph.core.checks.check import check_vault

KITE = "7gaPPrAd7nc"  # two notes and a hub heading
SONG = "dQw4w9WgXcQ"  # one note, no hub heading
MP4 = b"\x00\x00\x00\x18ftypmp42 not really a video"


def anchor(data_t: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{data_t}]</a>'


def watch(video: str, seconds: int) -> str:
    return f"https://www.youtube.com/watch?v={video}&t={seconds}s"


VAULT: dict[str, str | bytes] = {
    "hub.md": f"""\
# Talks hub

Where the talks live.

### [Working Backwards Explained](https://www.youtube.com/watch?v={KITE}&t=10s)

The [[Kite talk]] and the [[Second kite]] cover it.
""",
    "kite-talk.md": f"""\
---
videoId: {KITE}
---
# Kite talk

Kites fly best in steady wind {anchor("00:01:02")}. The [[tail-note]] keeps the kite \
stable [03:04]. Gusts are a kind of [[Wind shear]] {anchor("00:00:30")}.

Later the [[Song note]] plays.
""",
    # the video id as a youtu.be URL; a stamp wrapped in a Markdown link; one in code
    "second-kite.md": f"""\
---
videoId: https://youtu.be/{KITE}?t=5
---
# Second kite

Line tension matters {anchor("00:00:45")}. Reels wind fast \
[00:02:00]({anchor("00:02:00")}). Code is text: `[00:03]`.
""",
    "song-note.md": f"""\
---
videoId: "https://www.youtube.com/watch?v={SONG}&feature=share"
---
# Song note

The chorus is about [[Wind shear]] [00:42]. Back to the [[Kite talk]] at the end [01:10].
""",
    "bad-stamps.md": f"""\
---
videoId: {KITE}
---
# Bad stamps

First bad {anchor("00:99:00")}.
Second bad {anchor("1:2:3:4")}.
Third bad {anchor("soon")}.
Plain bad [00:75].
Minutes written as hours {anchor("50:34:00")}.
A good one {anchor("00:00:07")}.
""",
    "no-video.md": f"""\
# No video

A stamp without a video {anchor("00:00:10")}.
The [[Tail note]] is cited here [00:20].
""",
    "evil.md": f"""\
---
videoId: '"><script>x</script>'
---
# Evil id

Evil stamp {anchor("00:00:05")}.
""",
    "evil-file.md": f"""\
---
video: 'javascript:alert(1)'
---
# Evil file

Evil file stamp {anchor("00:00:06")}.
""",
    "talks/self-hosted.md": f"""\
---
video: media/talk.mp4
---
# Self hosted

The speaker starts {anchor("00:00:12")}. Questions come last [01:05].
""",
    "media/talk.mp4": MP4,
    "tail-note.md": "# Tail note\n\nTails add drag.\n",
}

# Every moment of the kite video, in time order: (seconds, sentence, note title).
KITE_MOMENTS = [
    (7, "A good one.", "Bad stamps"),
    (30, "Gusts are a kind of Wind shear.", "Kite talk"),
    (45, "Line tension matters.", "Second kite"),
    (62, "Kites fly best in steady wind.", "Kite talk"),
    (120, "Reels wind fast.", "Second kite"),
    (184, "The Tail note keeps the kite stable.", "Kite talk"),  # [[tail-note]]: its title
]


@pytest.fixture(scope="module", params=[True, False], ids=["dir-urls", "file-urls"])
def site(request: pytest.FixtureRequest, build_vault: Any) -> Built:
    return build_vault("video-site", VAULT, use_directory_urls=request.param)


def body(site: Built, src_uri: str) -> Element:
    """The content of a page, without its backlinks and local graph."""
    root = article(site.page(src_uri))
    for element in root.iter():
        element.children = [
            child
            for child in element.children
            if not (isinstance(child, Element) and child.tag == "section")
        ]
    return root


def stamps(root: Element) -> list[tuple[str, str, str, str]]:
    """(text, href, data-t, data-video) of every play link."""
    return [
        (a.text, a.attrs["href"], a.attrs.get("data-t", ""), a.attrs.get("data-video", ""))
        for a in root.find_all("a", "ng-stamp")
    ]


def warnings_about(site: Built, name: str) -> list[str]:
    return [w for w in site.warnings if f"/{name}:" in w or w.startswith(f"{name}:")]


def graph(site: Built) -> dict[str, Any]:
    return json.loads((site.site_dir / "graph.json").read_text(encoding="utf-8"))


def video_page(site: Built, video: str) -> Path:
    node = next(n for n in graph(site)["nodes"] if n["id"] == f"video:{video}")
    return site.file(node["url"])


# --- timestamps on note pages --------------------------------------------------------------------


def test_anchors_and_plain_stamps_become_watch_links(site: Built):
    assert stamps(body(site, "notes/kite-talk.md")) == [
        ("1:02", watch(KITE, 62), "62", f"yt:{KITE}"),
        ("3:04", watch(KITE, 184), "184", f"yt:{KITE}"),
        ("0:30", watch(KITE, 30), "30", f"yt:{KITE}"),
    ]


def test_video_id_given_as_a_url_is_reduced_to_the_id(site: Built):
    second = body(site, "notes/second-kite.md")
    assert second.one("div", "ng-player").attrs["data-youtube"] == KITE
    # the stamp wrapped in a Markdown link is one link, not a broken "[00:02:00](...)"
    assert stamps(second) == [
        ("0:45", watch(KITE, 45), "45", f"yt:{KITE}"),
        ("2:00", watch(KITE, 120), "120", f"yt:{KITE}"),
    ]
    assert "[00:03]" in second.one("code").text  # a stamp in code stays code
    song = body(site, "notes/song-note.md")
    assert song.one("div", "ng-player").attrs["data-video"] == f"yt:{SONG}"
    assert [href for _, href, _, _ in stamps(song)] == [watch(SONG, 42), watch(SONG, 70)]


def test_no_timestamp_anchor_survives(site: Built):
    pages = sorted(site.site_dir.rglob("*.html"))
    left = [p for p in pages if parse(p).find_all(cls="yt-timestamp")]
    assert left == []


def test_note_page_player_and_video_page_link(site: Built):
    page = site.page("notes/kite-talk.md")
    root = body(site, "notes/kite-talk.md")
    player = root.one("div", "ng-player")
    assert player.attrs["data-video"] == f"yt:{KITE}"
    assert player.one("button", "ng-player-start").attrs.get("hidden") is not None
    assert player.one("a", "ng-player-link").attrs["href"] == (
        f"https://www.youtube.com/watch?v={KITE}"
    )
    target, _ = lands_on(site, page, root.one("a", "ng-video-page"))
    assert site.site_dir / target == video_page(site, KITE)


def test_invalid_stamps_are_reported_and_left_as_text(site: Built):
    found = warnings_about(site, "bad-stamps.md")
    for line, text in [
        (6, "00:99:00"),
        (7, "1:2:3:4"),
        (8, "soon"),
        (9, "00:75"),
        (10, "50:34:00"),
    ]:
        assert any(f"bad-stamps.md:{line}:" in w and text in w for w in found), (line, found)
    root = body(site, "notes/bad-stamps.md")
    shown = ["First bad [00:99:00].", "Second bad [1:2:3:4].", "Third bad [soon].", "[00:75]"]
    for text in [*shown, "Minutes written as hours [50:34:00]."]:
        assert text in root.text
    assert stamps(root) == [("0:07", watch(KITE, 7), "7", f"yt:{KITE}")]


def test_note_without_video_keeps_stamps_as_text(site: Built):
    found = warnings_about(site, "no-video.md")
    assert any("no-video.md:3:" in w and "videoId" in w for w in found), found
    root = body(site, "notes/no-video.md")
    assert "A stamp without a video [00:00:10]." in root.text
    assert "cited here [00:20]." in root.text
    assert root.find_all("a", "ng-stamp") == []
    assert root.find_all(cls="ng-player") == []


def test_hostile_video_values_are_reported_and_never_reach_the_html(site: Built):
    assert any("evil.md:2:" in w and "videoId" in w for w in warnings_about(site, "evil.md"))
    assert any(
        "evil-file.md:2:" in w and "video" in w for w in warnings_about(site, "evil-file.md")
    )
    for src_uri, text in [("notes/evil.md", "[00:00:05]"), ("notes/evil-file.md", "[00:00:06]")]:
        root = body(site, src_uri)
        assert text in root.text
        assert root.find_all(cls="ng-player") == [] and root.find_all("a", "ng-stamp") == []
    for path in site.site_dir.rglob("*"):
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "<script>x</script>" not in text, path
            assert "javascript:alert" not in text, path


def test_self_hosted_video_plays_the_copied_file(site: Built):
    page = site.page("notes/talks/self-hosted.md")
    root = body(site, "notes/talks/self-hosted.md")
    video = root.one("video")
    assert video.attrs.get("preload") == "none"
    src = video.attrs["src"]
    assert not src.startswith(("/", "http")), "the file's URL must be relative"
    file, _ = resolve(site.site_dir, page, src)
    assert file.is_file() and file.read_bytes() == MP4
    assert stamps(root) == [
        ("0:12", f"{src}#t=12", "12", "file:media/talk.mp4"),
        ("1:05", f"{src}#t=65", "65", "file:media/talk.mp4"),
    ]
    assert not list(site.site_dir.joinpath("videos").glob("*talk*")), "no page for a file"


# --- video pages ---------------------------------------------------------------------------------


def test_one_video_page_per_youtube_id(site: Built):
    pages = sorted(
        p.relative_to(site.site_dir).as_posix()
        for p in site.site_dir.glob("videos/**/*.html")
        if p != site.site_dir / "videos" / "index.html"  # the list of videos
    )
    expected = sorted(
        video_page(site, v).relative_to(site.site_dir).as_posix() for v in (KITE, SONG)
    )
    assert pages == expected and len(set(pages)) == 2


def test_videos_index_lists_every_video_and_is_in_the_nav(site: Built):
    page = site.page("videos/index.md")
    listed = {a.text: lands_on(site, page, a)[0] for a in article(page).find_all("a")}
    assert listed == {
        "Working Backwards Explained": video_page(site, KITE).relative_to(site.site_dir).as_posix(),
        "Song note": video_page(site, SONG).relative_to(site.site_dir).as_posix(),
    }
    tabs = [a.text.strip() for a in parse(site.page("index.md")).find_all("a", "md-nav__link")]
    assert "Videos" in tabs


def test_video_page_is_titled_from_the_hub_heading(site: Built):
    assert parse(video_page(site, KITE)).one("h1").text == "Working Backwards Explained"
    # no hub heading for the song: its note's title
    assert parse(video_page(site, SONG)).one("h1").text == "Song note"


def test_video_page_groups_moments_by_note_in_time_order(site: Built):
    page = video_page(site, KITE)
    root = article(page)
    player = root.one("div", "ng-player")
    assert player.attrs["data-youtube"] == KITE
    order = list(root.iter())
    moments = root.one("div", "ng-moments")
    assert order.index(player) < order.index(moments), "the player comes before the moments"
    assert order.index(root.one("figure", "ng-timeline")) < order.index(moments)
    groups = []
    for group in moments.find_all("details", "ng-group"):
        assert "open" in group.attrs, "a page of few moments shows them all"
        title = group.one("span", "ng-group-title").text
        note, _ = lands_on(site, page, group.one("p", "ng-group-note").one("a"))
        assert note.startswith("notes/") and group.attrs["data-ng-note"] == title
        listed = []
        for item in group.find_all("li"):
            stamp = item.one("a", "ng-stamp")
            assert stamp.attrs["href"] == watch(KITE, int(stamp.attrs["data-t"]))
            listed.append((int(stamp.attrs["data-t"]), item.one("span", "ng-moment-text").text))
        groups.append((title, listed))
        assert listed == sorted(listed), "time order in each group"
    # groups in the order of their first moment
    assert groups == [
        ("Bad stamps", [(7, "A good one.")]),
        (
            "Kite talk",
            [
                (30, "Gusts are a kind of Wind shear."),
                (62, "Kites fly best in steady wind."),
                (184, "The Tail note keeps the kite stable."),  # [[tail-note]]: its title
            ],
        ),
        ("Second kite", [(45, "Line tension matters."), (120, "Reels wind fast.")]),
    ]
    assert sorted(t for _, listed in groups for t, _ in listed) == [m[0] for m in KITE_MOMENTS]
    assert "6 moments from 3 notes" in root.one("p", "ng-kind").text
    assert "2 moments · 0:45–2:00" in moments.find_all("details")[2].one("summary").text
    assert "the last at 3:04" in root.one("figure", "ng-timeline").text


def test_song_video_page(site: Built):
    root = article(video_page(site, SONG))
    assert [a.attrs["data-t"] for a in root.find_all("a", "ng-stamp")] == ["42", "70"]
    assert "Back to the Kite talk at the end." in root.text


# --- mentions: topic pages and backlinks ---------------------------------------------------------


def mention_items(site: Built, src_uri: str) -> dict[str, list[Element]]:
    """Mention lines of a topic page or a note's backlinks, by the title of the linking note."""
    lists = article(site.page(src_uri)).one("ul", "ng-mentions")
    out: dict[str, list[Element]] = {}
    for item in lists.children:
        if isinstance(item, Element) and item.tag == "li":
            title = item.find_all("a")[0].text
            out[title] = [li for ul in item.find_all("ul") for li in ul.find_all("li")]
    return out


def test_topic_page_mentions_carry_play_links(site: Built):
    mentions = mention_items(site, "topics/wind-shear.md")
    assert sorted(mentions) == ["Kite talk", "Song note"]
    assert [stamps(li) for li in mentions["Kite talk"]] == [
        [("0:30", watch(KITE, 30), "30", f"yt:{KITE}")]
    ]
    assert [stamps(li) for li in mentions["Song note"]] == [
        [("0:42", watch(SONG, 42), "42", f"yt:{SONG}")]
    ]
    assert mentions["Kite talk"][0].text.startswith("Gusts are a kind of Wind shear.")


def test_backlinks_carry_play_links(site: Built):
    mentions = mention_items(site, "notes/tail-note.md")
    assert sorted(mentions) == ["Kite talk", "No video"]
    assert [stamps(li) for li in mentions["Kite talk"]] == [
        [("3:04", watch(KITE, 184), "184", f"yt:{KITE}")]
    ]
    assert [stamps(li) for li in mentions["No video"]] == [[]]  # its stamp is only text
    kite = mention_items(site, "notes/kite-talk.md")
    assert [stamps(li) for li in kite["Song note"]] == [
        [("1:10", watch(SONG, 70), "70", f"yt:{SONG}")]
    ]
    assert [stamps(li) for li in kite["Talks hub"]] == [[]]


# --- graph.json ----------------------------------------------------------------------------------


def test_graph_has_video_nodes_linked_from_their_notes(site: Built):
    data = graph(site)
    videos = {n["id"]: n for n in data["nodes"] if n["kind"] == "video"}
    assert sorted(videos) == [f"video:{KITE}", f"video:{SONG}"]
    assert videos[f"video:{KITE}"]["title"] == "Working Backwards Explained"
    assert videos[f"video:{KITE}"]["video_id"] == KITE
    assert videos[f"video:{KITE}"]["url"].startswith("videos/")
    into = {
        (e["source"], e["target"]): e.get("moments") for e in data["edges"] if e["target"] in videos
    }
    assert into == {
        ("bad-stamps.md", f"video:{KITE}"): [7],
        ("kite-talk.md", f"video:{KITE}"): [30, 62, 184],
        ("second-kite.md", f"video:{KITE}"): [45, 120],
        ("song-note.md", f"video:{SONG}"): [42, 70],
    }


def test_graph_edges_in_timestamped_sentences_carry_moments(site: Built):
    edges = {
        (e["source"], e["target"]): e.get("moments")
        for e in graph(site)["edges"]
        if not e["target"].startswith("video:")
    }
    # Each edge with moments names the video they are moments of: the linking note's.
    videos = {(e["source"], e["target"]): e.get("video") for e in graph(site)["edges"]}
    assert {edge: videos[edge] for edge, moments in edges.items() if moments} == {
        ("kite-talk.md", "tail-note.md"): KITE,
        ("kite-talk.md", "topic:wind shear"): KITE,
        ("song-note.md", "topic:wind shear"): SONG,
        ("song-note.md", "kite-talk.md"): SONG,
    }
    assert edges == {
        ("kite-talk.md", "tail-note.md"): [184],
        ("kite-talk.md", "topic:wind shear"): [30],
        ("kite-talk.md", "song-note.md"): None,
        ("song-note.md", "topic:wind shear"): [42],
        ("song-note.md", "kite-talk.md"): [70],
        ("hub.md", "kite-talk.md"): None,
        ("hub.md", "second-kite.md"): None,
        ("no-video.md", "tail-note.md"): None,
    }


# --- nothing loads from the video provider -------------------------------------------------------

PROVIDER = re.compile(
    r"youtube(?:-nocookie)?\.com|youtu\.be|ytimg\.com|googlevideo\.com|ggpht\.com", re.IGNORECASE
)


def provider_loads(page: Path) -> list[str]:
    """Everything on `page` that names the provider, except the ``href`` of an ``<a>``."""
    found = []
    for element in parse(page).iter():
        if element.tag == "iframe":
            found.append(f"<iframe {element.attrs}>")
        for name, value in element.attrs.items():
            if PROVIDER.search(value) and not (element.tag == "a" and name == "href"):
                found.append(f"<{element.tag} {name}={value!r}>")
        if element.tag in ("script", "style"):
            text = "".join(c for c in element.children if isinstance(c, str))
            if PROVIDER.search(text):
                found.append(f"<{element.tag}> text names the provider")
    return found


def test_no_page_loads_anything_from_the_provider(site: Built):
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) > 10
    problems = {p.relative_to(site.site_dir).as_posix(): provider_loads(p) for p in pages}
    assert {page: found for page, found in problems.items() if found} == {}
    # the site does name the provider: in links, which load nothing until followed
    assert any(
        PROVIDER.search(a.attrs.get("href", ""))
        for a in parse(site.page("notes/kite-talk.md")).find_all("a")
    )


@pytest.mark.parametrize(
    "markup",
    [
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
        '<img src="https://i.ytimg.com/vi/x/hqdefault.jpg">',
        '<script src="https://www.youtube.com/iframe_api"></script>',
        '<link rel="preconnect" href="https://www.youtube.com">',
        "<script>fetch('https://www.youtube.com/')</script>",
        '<video src="https://rr1.googlevideo.com/x"></video>',
    ],
)
def test_the_provider_check_sees_loads(tmp_path: Path, markup: str):
    page = tmp_path / "p.html"
    page.write_text(f'<html><body><a href="https://www.youtube.com/">ok</a>{markup}</body></html>')
    assert provider_loads(page) != []


def test_no_broken_links(site: Built):
    assert broken_links(site.site_dir) == []


# --- a self-hosted video that is not in the vault ------------------------------------------------


def test_missing_self_hosted_file_is_reported_and_breaks_no_link(build_vault: Any):
    built = build_vault(
        "video-missing",
        {"talk.md": "---\nvideo: media/missing.mp4\n---\n# Talk\n\nIt starts here [00:12].\n"},
    )
    assert any("talk.md:2" in w and "missing.mp4" in w for w in built.warnings), built.warnings
    assert broken_links(built.site_dir) == []


# --- stamps as real vaults write them (the 19 TubeGraph notes that once stopped a build) ---------

TUBEGRAPH: dict[str, str | bytes] = {
    # a stamp used as a Markdown link's target
    "linked.md": f"""\
---
videoId: {KITE}
---
A [sculpture of exquisite art]({anchor("00:03:37")}). Beauty is everywhere \
{anchor("00:04:10")}.
""",
    # an anchor closed by a second bracket instead of </a>, then a good one
    "unclosed.md": f"""\
---
videoId: {KITE}
---
## Skills

Skills load on demand <a class="yt-timestamp" data-t="00:15:58">[00:15:58]].

## Memory

Memory is managed per session {anchor("00:16:30")}.
""",
    # stamps past an hour without a leading zero, in list items
    "listed.md": f"""\
---
videoId: {KITE}
---
- Intervals raise the heart rate {anchor("2:06:55")}
- Recovery takes two days {anchor("2:07:40")}
""",
    # a typo in the class, a stamp as the text
    "typos.md": f"""\
---
videoId: {KITE}
---
Underscored <a class="yt_timestamp" data-t="00:36:47">[00:36:47]</a>.
Greater <a class="yt>timestamp" data-t="00:49:07">[00:49:07]</a>.
""",
}


@pytest.fixture(scope="module")
def tubegraph(build_vault: Any) -> Built:
    return build_vault("video-tubegraph", TUBEGRAPH)


@pytest.mark.parametrize(
    ("name", "seconds", "sentences"),
    [
        ("linked", [217, 250], ["A sculpture of exquisite art.", "Beauty is everywhere."]),
        ("unclosed", [958, 990], ["Skills load on demand.", "Memory is managed per session."]),
        ("listed", [7615, 7660], ["Intervals raise the heart rate", "Recovery takes two days"]),
        ("typos", [2207, 2947], ["Underscored.", "Greater."]),
    ],
)
def test_stamps_as_real_vaults_write_them_play(
    tubegraph: Built, name: str, seconds: list[int], sentences: list[str]
):
    root = body(tubegraph, f"notes/{name}.md")
    assert [(href, t) for _, href, t, _ in stamps(root)] == [
        (watch(KITE, s), str(s)) for s in seconds
    ]
    assert root.find_all(cls="yt-timestamp") == [] and root.find_all(cls="yt_timestamp") == []
    assert not [w for w in tubegraph.warnings if "[internal]" in w or "Error" in w]
    moments = article(video_page(tubegraph, KITE)).one("div", "ng-moments")
    listed = {
        int(li.one("a", "ng-stamp").attrs["data-t"]): li.one("span", "ng-moment-text").text
        for group in moments.find_all("details", "ng-group")
        for li in group.find_all("li")
    }
    for s, sentence in zip(seconds, sentences, strict=True):
        assert sentence in listed[s], (s, listed.get(s))


def test_a_typo_in_a_stamps_class_is_reported(tubegraph: Built):
    """An info: listed by `notegraph check` (the build counts infos in one line)."""
    found = [
        (d.line, d.message) for d in check_vault(tubegraph.root / "vault") if d.path == "typos.md"
    ]
    assert [line for line, _ in found] == [4, 5], found
    assert "'yt_timestamp', not 'yt-timestamp'" in found[0][1]
    assert "'yt>timestamp', not 'yt-timestamp'" in found[1][1]

"""Video moments in a real browser: the player, timestamps, JavaScript off, instant navigation.

A fixture site with two YouTube videos and a self-hosted one is built in tmp_path and served
on 127.0.0.1. The network is fenced: requests to 127.0.0.1 go through, the YouTube embed host
gets a stub player (it records the IFrame API messages it receives and answers the first, like
YouTube's), or is blocked, or held back, as the test says; youtube.com (where a test follows a
link) gets a stub page; anything else is a violation. Every test checks that nothing went to
the video provider before the first click on a timestamp or a play button, that nothing else
left the machine, and that no script threw.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from browser import LOCAL_HOST, chromium, require_chromium, serve
from conftest import write_files

pytestmark = pytest.mark.browser

KITE = "7gaPPrAd7nc"
SONG = "dQw4w9WgXcQ"
EMBED_HOST = "www.youtube-nocookie.com"
WATCH_HOST = "www.youtube.com"
PROVIDER_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "ytimg.com", "googlevideo.com")
STUB = "<!doctype html><title>stub</title><p>stub page</p>"
PLAYER_STUB = """<!doctype html><title>stub player</title><p>stub player</p><script>
window.__received = [];
window.addEventListener("message", function (event) {
  window.__received.push(String(event.data));
  if (window.__answered) return;
  window.__answered = true;
  parent.postMessage(JSON.stringify({event: "onReady", id: 1, channel: "widget"}), "*");
});
</script>"""


def anchor(data_t: str) -> str:
    return f'<a class="yt-timestamp" data-t="{data_t}">[{data_t}]</a>'


VAULT: dict[str, str | bytes] = {
    "hub.md": f"# Talks hub\n\n### [Kite talk video](https://www.youtube.com/watch?v={KITE})\n\n"
    "The [[Kite talk]] covers it.\n",
    "kite-talk.md": f"""\
---
videoId: {KITE}
---
# Kite talk

Kites fly best in steady wind {anchor("00:01:02")}. The [[Tail note]] keeps the kite \
stable [03:04].

Later the [[Song note]] plays.
""",
    "song-note.md": f"""\
---
videoId: https://youtu.be/{SONG}
---
# Song note

The chorus starts here [00:42]. Back to the [[Kite talk]] at the end [01:10].
""",
    "tail-note.md": "# Tail note\n\nTails add drag.\n",
    "talks/self-hosted.md": f"""\
---
video: media/talk.mp4
---
# Self hosted

The speaker starts {anchor("00:00:12")}. Questions come last [01:05].
""",
    "media/talk.mp4": b"\x00\x00\x00\x18ftypmp42 not really a video",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    return tmp_path_factory.mktemp("video-browser")


@pytest.fixture(scope="module")
def base(root: Path) -> Iterator[str]:
    with serve(root / "site") as url:
        yield url


@pytest.fixture(scope="module")
def site(root: Path, base: str, build_config: Any) -> Path:
    write_files(root / "vault", VAULT)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe fixture.\n", encoding="utf-8")
    config = {
        "site_name": "Video fixture",
        # Material's instant navigation only follows links of sitemap.xml, matched on host
        # and port: the site must know where it is served.
        "site_url": base,
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.instant"],
            # light and dark, as the repository's mkdocs.yml has them
            "palette": [
                {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
                {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
            ],
        },
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_config(root / "mkdocs.yml", root / "site", strict=True)
    assert not built.warnings
    return built.site_dir


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


# --- a fenced tab --------------------------------------------------------------------------------


def is_provider(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == h or host.endswith("." + h) for h in PROVIDER_HOSTS)


@dataclass
class Tab:
    """A page on a fenced network, and what it asked for."""

    page: Any
    clicks: int = 0
    """Clicks on a timestamp or a play button so far."""
    requests: list[tuple[int, str]] = field(default_factory=list)
    """Every request, with the number of clicks that came before it."""
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    held: list[Any] = field(default_factory=list)
    """Requests to the embed host held back (``embed="hold"``), to fulfil with `release`."""

    def release(self) -> None:
        """Let the held embed requests through: the stub player loads."""
        while self.held:
            self.held.pop(0).fulfill(status=200, content_type="text/html", body=PLAYER_STUB)

    def click(self, locator: Any) -> None:
        """Click a timestamp or a play button: from here on the provider may be asked."""
        self.clicks += 1
        locator.click()

    def provider(self) -> list[str]:
        return [url for _, url in self.requests if is_provider(url)]

    def check(self) -> None:
        early = [url for clicks, url in self.requests if clicks == 0 and is_provider(url)]
        assert early == [], "the video provider was asked before any click"
        assert self.violations == [], "requests left the site"
        assert self.errors == [], "JavaScript errors"


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(browser: Any, site: Path) -> Iterator[OpenTab]:
    """``open_tab(follow_watch=False, embed="player", **context_options)``: a new fenced tab.

    With `follow_watch`, navigations to youtube.com get the stub; otherwise they are violations.
    `embed` says what the embed host does: ``player`` (the stub player), ``abort`` (the
    request fails, as offline or blocked) or ``hold`` (nothing until `Tab.release`).
    """
    contexts: list[Any] = []

    def open_one(follow_watch: bool = False, embed: str = "player", **options: Any) -> Tab:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, **options)
        contexts.append(context)
        tab = Tab(context.new_page())

        def route(request_route: Any) -> None:
            url = request_route.request.url
            parts = urlsplit(url)
            tab.requests.append((tab.clicks, url))
            if parts.scheme in ("data", "blob") or parts.hostname == LOCAL_HOST:
                request_route.continue_()
            elif parts.hostname == EMBED_HOST and embed == "abort":
                request_route.abort("internetdisconnected")
            elif parts.hostname == EMBED_HOST and embed == "hold":
                tab.held.append(request_route)
            elif parts.hostname == EMBED_HOST:
                request_route.fulfill(status=200, content_type="text/html", body=PLAYER_STUB)
            elif follow_watch and parts.hostname == WATCH_HOST:
                request_route.fulfill(status=200, content_type="text/html", body=STUB)
            else:
                tab.violations.append(url)
                request_route.abort()

        context.route("**/*", route)
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        tab.page.set_default_timeout(10_000)
        return tab

    yield open_one
    for context in contexts:
        context.close()


def stamp(tab: Tab, seconds: int) -> Any:
    return tab.page.locator(f"article a.ng-stamp[data-t='{seconds}']").first


def embed_query(url: str, video: str) -> dict[str, list[str]]:
    """The query of a privacy-enhanced embed URL of `video` (fails on any other URL)."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", EMBED_HOST, f"/embed/{video}")
    return parse_qs(parts.query)


def player_frame(tab: Tab, video: str) -> Any:
    return tab.page.locator(f".ng-player[data-video='yt:{video}'] iframe")


def received(tab: Tab, video: str) -> list[dict[str, Any]]:
    """The IFrame API messages the stub player of `video` has received so far."""
    frame = player_frame(tab, video).element_handle().content_frame()
    assert frame is not None
    return [json.loads(m) for m in frame.evaluate("window.__received || []")]


def seeks(tab: Tab, video: str) -> list[Any]:
    """The arguments of every seekTo the player got, in order."""
    return [m["args"] for m in received(tab, video) if m.get("func") == "seekTo"]


def wait_for_seek(tab: Tab, video: str, seconds: int) -> None:
    """Wait until the last seekTo the player got is to `seconds` (and playVideo followed)."""
    for _ in range(50):
        found = seeks(tab, video)
        if found and found[-1] == [seconds, True]:
            assert received(tab, video)[-1]["func"] == "playVideo"
            return
        tab.page.wait_for_timeout(100)
    raise AssertionError(f"no seekTo {seconds}: {received(tab, video)}")


def watch(video: str, seconds: int) -> str:
    return f"https://www.youtube.com/watch?v={video}&t={seconds}s"


def wait_for_player_script(tab: Tab, video: str) -> None:
    """video.js has run on this page: it reveals the play button that the HTML ships hidden."""
    button = f"document.querySelector(\".ng-player[data-video='yt:{video}'] .ng-player-start\")"
    tab.page.wait_for_function(f"{button} && {button}.hidden === false")


# --- tests ---------------------------------------------------------------------------------------


def test_clicking_a_stamp_plays_the_video_on_the_page(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab, KITE)
    assert player_frame(tab, KITE).count() == 0
    assert tab.provider() == []
    here = page.url
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST) as request:
        tab.click(stamp(tab, 62))
    for url in (request.value.url, player_frame(tab, KITE).get_attribute("src")):
        query = embed_query(url, KITE)
        assert query["start"] == ["62"] and query["enablejsapi"] == ["1"], url
    assert page.url == here, "the click must not leave the page"
    page.wait_for_selector(f".ng-player[data-video='yt:{KITE}'][data-ready='true']")
    assert received(tab, KITE)[0]["event"] == "listening"
    assert seeks(tab, KITE) == []  # the first moment is the embed's start
    # a second moment seeks the same player: no second frame, no second load
    tab.click(stamp(tab, 184))
    wait_for_seek(tab, KITE, 184)
    assert player_frame(tab, KITE).count() == 1
    assert len(tab.provider()) == 1, tab.provider()
    assert page.url == here
    assert page.locator(".ng-player-fallback").count() == 0  # the player answered
    tab.check()


def test_a_click_before_the_player_loaded_is_not_lost(open_tab: OpenTab, base: str):
    tab = open_tab(embed="hold")
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab, KITE)
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST):
        tab.click(stamp(tab, 62))
    tab.click(stamp(tab, 184))  # the embed has not loaded yet
    page.wait_for_timeout(200)
    assert tab.held, "the embed request went through"
    tab.release()
    wait_for_seek(tab, KITE, 184)
    assert player_frame(tab, KITE).count() == 1
    tab.click(stamp(tab, 62))  # and once it plays, a click seeks at once
    wait_for_seek(tab, KITE, 62)
    tab.check()


def test_player_shows_the_plain_link_when_the_embed_cannot_load(open_tab: OpenTab, base: str):
    """Offline or blocked: the reader gets the link to the moment, in seconds, not 8."""
    tab = open_tab(embed="abort")
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab, KITE)
    here = page.url
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST):
        tab.click(stamp(tab, 62))
    link = page.locator(f".ng-player[data-video='yt:{KITE}'] .ng-player-fallback a")
    link.wait_for(timeout=4000)
    assert link.get_attribute("href") == watch(KITE, 62)
    assert link.is_visible()
    # Another moment: the link follows it (the page stays, nothing else is asked for).
    tab.click(stamp(tab, 184))
    page.wait_for_function(
        "document.querySelector('.ng-player-fallback a').href.endsWith('&t=184s')"
    )
    assert link.get_attribute("href") == watch(KITE, 184)
    assert page.url == here
    tab.check()


def test_without_javascript_a_stamp_is_a_link_to_the_moment(open_tab: OpenTab, base: str):
    tab = open_tab(follow_watch=True, java_script_enabled=False)
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    link = stamp(tab, 62)
    href = link.get_attribute("href")
    assert href == f"https://www.youtube.com/watch?v={KITE}&t=62s"
    assert parse_qs(urlsplit(href).query)["t"] == ["62s"]
    assert page.locator(".ng-player-link").is_visible()
    with page.expect_request(lambda r: urlsplit(r.url).hostname == WATCH_HOST) as request:
        tab.click(link)
    assert request.value.url == href
    assert request.value.is_navigation_request()
    page.wait_for_url(href)
    tab.check()


def test_stamp_plays_the_new_video_after_instant_navigation(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab, KITE)
    page.evaluate("window.__marker = 1")
    page.locator("article a[href$='/notes/song-note/']").first.click()
    page.wait_for_url("**/notes/song-note/")
    wait_for_player_script(tab, SONG)
    assert page.evaluate("window.__marker") == 1, "the page was reloaded: no instant navigation"
    assert tab.provider() == []
    here = page.url
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST) as request:
        tab.click(stamp(tab, 42))
    assert embed_query(request.value.url, SONG)["start"] == ["42"]
    assert embed_query(player_frame(tab, SONG).get_attribute("src"), SONG)["start"] == ["42"]
    assert page.locator(".ng-player iframe").count() == 1  # none for the first note's video
    assert page.url == here
    tab.check()


def test_stamp_seeks_a_self_hosted_video(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/talks/self-hosted/")
    page.wait_for_load_state("load")
    video = "document.querySelector('.ng-player video')"
    assert page.evaluate(f"{video}.currentTime") == 0
    assert page.evaluate(f"{video}.preload") == "none"
    fetched = [url for _, url in tab.requests if url.endswith("talk.mp4")]
    assert fetched == [], "preload=none: the file waits for the reader"
    here = page.url
    tab.click(stamp(tab, 65))
    # The fixture file is no decodable video (its load fails with MEDIA_ERR_SRC_NOT_SUPPORTED),
    # but Chromium keeps the position the script set as the element's currentTime, so the seek
    # is observable all the same.
    page.wait_for_function(f"{video}.currentTime > 0")
    assert page.evaluate(f"{video}.currentTime") == pytest.approx(65, abs=0.5)
    assert page.url == here, "the stamp's #t= link must not be followed"
    tab.click(stamp(tab, 12))
    page.wait_for_function(f"{video}.currentTime < 60")
    assert page.evaluate(f"{video}.currentTime") == pytest.approx(12, abs=0.5)
    assert page.url == here
    tab.check()


def test_play_button_appears_with_javascript_and_starts_at_zero(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "videos/7gapprad7nc/")
    button = page.locator(f".ng-player[data-video='yt:{KITE}'] .ng-player-start")
    wait_for_player_script(tab, KITE)
    assert button.is_visible()
    assert button.inner_text().strip() == "▶ Play video here"
    assert tab.provider() == []
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST) as request:
        tab.click(button)
    query = embed_query(request.value.url, KITE)
    assert query["start"] == ["0"] and query["enablejsapi"] == ["1"]
    assert player_frame(tab, KITE).count() == 1
    tab.check()


def test_play_button_is_hidden_without_javascript(open_tab: OpenTab, base: str):
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    button = page.locator(".ng-player-start")
    assert button.get_attribute("hidden") is not None  # as shipped: JavaScript reveals it
    # Without JavaScript the button could do nothing: the reader must not see it.
    assert button.is_hidden(), "a dead 'Play video here' button shows with JavaScript off"
    assert page.locator(".ng-player-link").is_visible()  # the way to the video without it
    tab.check()


def test_stamp_without_a_player_on_the_page_follows_its_link(open_tab: OpenTab, base: str):
    tab = open_tab(follow_watch=True)
    page = tab.page
    page.goto(base + "notes/tail-note/")  # a backlink from the kite talk, at 03:04
    page.wait_for_load_state("load")
    assert page.locator(".ng-player").count() == 0
    link = page.locator("a.ng-stamp[data-t='184']")
    with page.expect_request(lambda r: urlsplit(r.url).hostname == WATCH_HOST) as request:
        tab.click(link)
    assert request.value.url == f"https://www.youtube.com/watch?v={KITE}&t=184s"
    assert not [url for url in tab.provider() if urlsplit(url).hostname == EMBED_HOST]
    tab.check()


@pytest.mark.parametrize(
    "path",
    ["notes/kite-talk/", "notes/song-note/", "videos/7gapprad7nc/", "notes/tail-note/", "graph/"],
)
def test_browsing_asks_nothing_of_the_provider(open_tab: OpenTab, base: str, path: str):
    tab = open_tab()
    tab.page.goto(base + path)
    tab.page.wait_for_load_state("networkidle")
    assert tab.provider() == []
    assert any(url.startswith(base) for _, url in tab.requests)  # the fence saw the page load
    tab.check()


# --- palettes ------------------------------------------------------------------------------------

# What a reader reads on a note page with a player: its stamps, the player's link and button
# (before a click) and the plain link the player falls back to (after one), each with the
# element whose background it is read on.
BEFORE_CLICK = {
    "article a.ng-stamp": "body",
    ".ng-player-link": "body",
    "a.ng-video-page": "body",
    ".ng-player-start": ".ng-player-start",
}
AFTER_CLICK = {".ng-player-fallback": "body", ".ng-player-fallback a": "body"}


def rgba(css: str) -> tuple[float, float, float, float]:
    """The channels of a computed ``rgb()``/``rgba()`` colour (0-255, alpha 0-1)."""
    inner = css[css.index("(") + 1 : css.rindex(")")].replace("/", ",").replace(" ", ",")
    parts = [float(p) for p in inner.split(",") if p]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of text colour `fg` (blended over `bg`) on the opaque `bg`."""
    back, front = rgba(bg), rgba(fg)
    blended = [front[i] * front[3] + back[i] * (1 - front[3]) for i in range(3)]

    def luminance(channels: list[float] | tuple[float, ...]) -> float:
        c = [x / 255 for x in channels[:3]]
        linear = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(blended), luminance(back)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colours(tab: Tab, elements: dict[str, str], scheme: str) -> dict[str, tuple[str, str]]:
    """(text colour, background colour) of each element, in the palette `scheme`."""
    tab.page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    # Material's links fade to a new colour: read them once the transitions are over.
    tab.page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    return {
        selector: tuple(
            tab.page.evaluate(
                """([selector, under]) => [
                     getComputedStyle(document.querySelector(selector)).color,
                     getComputedStyle(document.querySelector(under)).backgroundColor]""",
                [selector, under],
            )
        )
        for selector, under in elements.items()
    }


def check_palettes(light: dict[str, tuple[str, str]], dark: dict[str, tuple[str, str]]) -> None:
    """Readable in both; text on the page's background changes colour with it (a button on
    its own background, such as Material's primary button, may keep its colours)."""
    for selector in light:
        if light[selector][1] != dark[selector][1]:
            assert dark[selector][0] != light[selector][0], f"{selector}: light text on slate"
        for palette in (light, dark):
            fg, bg = palette[selector]
            assert contrast(fg, bg) >= 4.5, (selector, fg, bg)


def test_player_and_stamps_are_readable_in_both_palettes(open_tab: OpenTab, base: str):
    tab = open_tab(embed="abort")  # the player falls back to its link: that is read too
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab, KITE)
    light, dark = (colours(tab, BEFORE_CLICK, s) for s in ("default", "slate"))
    assert dark["article a.ng-stamp"][1] != light["article a.ng-stamp"][1], "no dark palette"
    check_palettes(light, dark)
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST):
        tab.click(stamp(tab, 62))
    page.locator(".ng-player-fallback a").wait_for(timeout=4000)
    dark, light = (colours(tab, AFTER_CLICK, s) for s in ("slate", "default"))
    check_palettes(light, dark)
    tab.check()

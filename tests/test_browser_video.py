"""Video moments in a real browser: the docked player, timestamps, JavaScript off, instant
navigation, the queue, video pages, accessibility.

A fixture site with two YouTube videos and a self-hosted one is built in tmp_path and served
on 127.0.0.1, once with `site_url` and once without (Material's instant navigation then has
no sitemap, and video.js hands it the links while a video plays). The network is fenced:
requests to 127.0.0.1 go through, the YouTube embed host gets a stub player (it records the
IFrame API messages it receives and answers the first, like YouTube's, saying it plays), or
is blocked, or held back, as the test says; youtube.com (where a test follows a link) gets a
stub page; anything else is a violation. Every test checks that nothing went to the video
provider before the first click on a timestamp or a play button, that nothing else left the
machine, and that no script threw.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import axe_playwright_python
import pytest
import yaml
from browser import LOCAL_HOST, chromium, require_chromium, serve
from conftest import write_files
from notegraph.core.vault.video import format_seconds

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
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
  parent.postMessage(JSON.stringify({event: "infoDelivery", id: 1, channel: "widget",
    info: {playerState: 1}}), "*");
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
stable [03:04]. Gusts are a kind of [[Wind shear]] [00:30].

Later the [[Song note]] plays.
""",
    "long-talk.md": f"""\
---
videoId: {KITE}
---
# Long talk

"""
    + "".join(
        f"Paragraph {i} says little about kites, at length, to fill a screen.\n\n"
        for i in range(80)
    )
    + f"The last word on [[Wind shear]] {anchor('00:20:00')}. And a final one [00:25:00].\n",
    "song-note.md": f"""\
---
videoId: https://youtu.be/{SONG}
---
# Song note

The chorus starts here [00:42]. Back to the [[Kite talk]] at the end [01:10]. The \
[[Wind shear]] of the song [02:00].
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
    with serve(root / "with-url" / "site") as url:
        yield url


@pytest.fixture(scope="module")
def bare_base(root: Path) -> Iterator[str]:
    """Where the site built without `site_url` is served."""
    with serve(root / "without-url" / "site") as url:
        yield url


def build_fixture(folder: Path, site_url: str | None, build_config: Any) -> Path:
    """Build VAULT into `folder`/site, as the repository's mkdocs.yml would (instant
    navigation, light and dark palettes), with `site_url` or without."""
    write_files(folder / "vault", VAULT)
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Home\n\nThe fixture.\n", encoding="utf-8")
    config = {
        "site_name": "Video fixture",
        **({"site_url": site_url} if site_url else {}),
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.instant"],
            "palette": [
                {"scheme": "default", "toggle": {"icon": "material/brightness-7", "name": "Dark"}},
                {"scheme": "slate", "toggle": {"icon": "material/brightness-4", "name": "Light"}},
            ],
        },
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_config(folder / "mkdocs.yml", folder / "site", strict=True)
    assert not built.warnings
    return built.site_dir


@pytest.fixture(scope="module")
def site(root: Path, base: str, build_config: Any) -> Path:
    # Material's instant navigation follows the links of sitemap.xml, matched on host and
    # port: this site knows where it is served.
    return build_fixture(root / "with-url", base, build_config)


@pytest.fixture(scope="module")
def bare_site(root: Path, bare_base: str, build_config: Any) -> Path:
    """The same site without `site_url` (the `notegraph build` default): an empty sitemap."""
    return build_fixture(root / "without-url", None, build_config)


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
def open_tab(browser: Any, site: Path, bare_site: Path) -> Iterator[OpenTab]:
    """``open_tab(follow_watch=False, embed="player", **context_options)``: a new fenced tab.

    With `follow_watch`, navigations to youtube.com get the stub; otherwise they are violations.
    `embed` says what the embed host does: ``player`` (the stub player), ``abort`` (the
    request fails, as offline or blocked) or ``hold`` (nothing until `Tab.release`).
    """
    contexts: list[Any] = []

    def open_one(follow_watch: bool = False, embed: str = "player", **options: Any) -> Tab:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
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


DOCK = ".ng-dock"


def stamp(tab: Tab, seconds: int, scope: str = "article") -> Any:
    return tab.page.locator(f"{scope} a.ng-stamp[data-t='{seconds}']").first


def embed_query(url: str, video: str) -> dict[str, list[str]]:
    """The query of a privacy-enhanced embed URL of `video` (fails on any other URL)."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", EMBED_HOST, f"/embed/{video}")
    return parse_qs(parts.query)


def player_frame(tab: Tab) -> Any:
    return tab.page.locator(f"{DOCK} iframe")


def received(tab: Tab) -> list[dict[str, Any]]:
    """The IFrame API messages the stub player in the dock has received so far."""
    frame = player_frame(tab).element_handle().content_frame()
    assert frame is not None
    return [json.loads(m) for m in frame.evaluate("window.__received || []")]


def seeks(tab: Tab) -> list[Any]:
    """The arguments of every seekTo the player got, in order."""
    return [m["args"] for m in received(tab) if m.get("func") == "seekTo"]


def wait_for_seek(tab: Tab, seconds: int) -> None:
    """Wait until the last seekTo the player got is to `seconds` (and playVideo followed)."""
    for _ in range(50):
        found = seeks(tab)
        if found and found[-1] == [seconds, True]:
            assert received(tab)[-1]["func"] == "playVideo"
            return
        tab.page.wait_for_timeout(100)
    raise AssertionError(f"no seekTo {seconds}: {received(tab)}")


def watch(video: str, seconds: int) -> str:
    return f"https://www.youtube.com/watch?v={video}&t={seconds}s"


def wait_for_player_script(tab: Tab) -> None:
    """video.js has run on this page: it reveals the play button that the HTML ships hidden."""
    tab.page.wait_for_function("(b => b && !b.hidden)(document.querySelector('.ng-player-start'))")


def open_dock(tab: Tab, link: Any, video: str, seconds: int) -> dict[str, list[str]]:
    """Click a stamp that opens the dock on `video`: the embed's query (it starts there)."""
    with tab.page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST) as request:
        tab.click(link)
    query = embed_query(request.value.url, video)
    assert query["start"] == [str(seconds)] and query["enablejsapi"] == ["1"]
    assert embed_query(player_frame(tab).get_attribute("src"), video) == query
    tab.page.wait_for_selector(f"{DOCK} .ng-dock-play[aria-label='Pause']")  # it plays
    return query


def in_viewport(tab: Tab, selector: str) -> bool:
    return tab.page.evaluate(
        """s => { const r = document.querySelector(s).getBoundingClientRect();
                  return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                      && r.bottom <= innerHeight && r.right <= innerWidth; }""",
        selector,
    )


def dock_text(tab: Tab) -> tuple[str, str, str]:
    """(video title, time, note) the dock shows."""
    return tuple(  # type: ignore[return-value]
        tab.page.locator(f"{DOCK} {part}").inner_text().strip()
        for part in (".ng-dock-title", ".ng-dock-time", ".ng-dock-note")
    )


def marked(tab: Tab) -> list[str]:
    """data-t of the stamps marked as playing on the page."""
    return tab.page.eval_on_selector_all(
        "article a.ng-stamp--playing", "links => links.map(a => a.dataset.t)"
    )


# --- the docked player ---------------------------------------------------------------------------


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_stamp_at_the_bottom_of_a_long_note_plays_in_view(
    open_tab: OpenTab, base: str, device: str
):
    tab = open_tab(**(PHONE if device == "phone" else {}))
    page = tab.page
    page.goto(base + "notes/long-talk/")
    wait_for_player_script(tab)
    assert page.locator(DOCK).count() == 0 and tab.provider() == []
    last = stamp(tab, 1200)
    last.scroll_into_view_if_needed()
    here, scrolled = page.url, page.evaluate("scrollY")
    assert scrolled > 2000, "the stamp is far down the page"
    open_dock(tab, last, KITE, 1200)
    assert page.url == here, "the click must not leave the page"
    assert in_viewport(tab, DOCK) and in_viewport(tab, f"{DOCK} iframe")
    box = page.locator(DOCK).bounding_box()
    width = page.viewport_size["width"]
    if device == "phone":  # a bottom sheet, the width of the screen
        assert box["width"] == width and box["y"] + box["height"] == 844
    else:  # a corner
        assert box["width"] < width / 2 and box["x"] > width / 2
    page.wait_for_timeout(600)  # the clicked stamp is scrolled out from under the dock
    stamp_box, dock_box = last.bounding_box(), page.locator(DOCK).bounding_box()
    assert stamp_box["y"] + stamp_box["height"] <= dock_box["y"] or (
        stamp_box["x"] + stamp_box["width"] <= dock_box["x"]
    )
    assert dock_text(tab) == ("Kite talk video", "20:00", "Long talk")
    assert marked(tab) == ["1200"]
    # a second stamp seeks the same player: no second frame, no second load
    tab.click(stamp(tab, 1500))
    wait_for_seek(tab, 1500)
    assert player_frame(tab).count() == 1 and len(tab.provider()) == 1, tab.provider()
    assert dock_text(tab)[1] == "25:00" and marked(tab) == ["1500"]
    assert page.locator(".ng-player-fallback:not([hidden])").count() == 0  # it answered
    tab.check()


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize("with_url", [True, False], ids=["site_url", "no-site_url"])
def test_the_player_keeps_playing_across_instant_navigation(
    open_tab: OpenTab, base: str, bare_base: str, device: str, with_url: bool
):
    tab = open_tab(**(PHONE if device == "phone" else {}))
    page = tab.page
    page.goto((base if with_url else bare_base) + "notes/kite-talk/")
    wait_for_player_script(tab)
    page.evaluate("window.__marker = 1")
    open_dock(tab, stamp(tab, 62), KITE, 62)
    frame = player_frame(tab).element_handle().content_frame()
    frame.evaluate("window.__same = true")
    # walk the site: a note, then a topic, by their links
    page.locator("article a[href$='/notes/song-note/']").first.click()
    page.wait_for_url("**/notes/song-note/")
    page.wait_for_function("document.querySelector('h1').textContent.includes('Song note')")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded: no instant navigation"
    assert player_frame(tab).element_handle().content_frame().evaluate("window.__same") is True
    assert in_viewport(tab, DOCK)
    assert page.locator(f"{DOCK} .ng-dock-play").get_attribute("aria-label") == "Pause"
    assert dock_text(tab)[1:] == ("1:02", "Kite talk")
    assert len(tab.provider()) == 1, "nothing more was asked of the provider"
    page.locator("article a[href$='/topics/wind-shear/']").first.click()
    page.wait_for_url("**/topics/wind-shear/")
    assert page.evaluate("window.__marker") == 1
    assert player_frame(tab).element_handle().content_frame().evaluate("window.__same") is True
    # the moment playing is marked on the new page too (the topic quotes the kite talk at 0:30)
    tab.click(stamp(tab, 30))
    wait_for_seek(tab, 30)
    assert marked(tab) == ["30"] and dock_text(tab)[1:] == ("0:30", "Kite talk")
    # and back: the browser's history goes through instant navigation as well
    page.go_back()
    page.wait_for_url("**/notes/song-note/")
    assert page.evaluate("window.__marker") == 1
    assert player_frame(tab).count() == 1 and len(tab.provider()) == 1
    tab.check()


def test_on_a_topic_page_a_stamp_plays_in_place(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "topics/wind-shear/")
    page.wait_for_load_state("load")
    assert page.locator(".ng-player").count() == 0  # no player's place: the dock still plays
    here = page.url
    open_dock(tab, stamp(tab, 120), SONG, 120)
    assert page.url == here and in_viewport(tab, DOCK)
    assert dock_text(tab) == ("Song note", "2:00", "Song note")
    # another video's moment on the same page: the dock switches video
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST) as request:
        tab.click(stamp(tab, 30))
    assert embed_query(request.value.url, KITE)["start"] == ["30"]
    assert player_frame(tab).count() == 1 and page.locator(DOCK).count() == 1
    assert dock_text(tab)[1:] == ("0:30", "Kite talk") and marked(tab) == ["30"]
    tab.check()


def test_next_moment_steps_through_the_video_in_time_order(open_tab: OpenTab, base: str):
    """On a video page, moments of several notes: the queue is the video's, in time order."""
    tab = open_tab()
    page = tab.page
    page.goto(base + "videos/7gapprad7nc/")
    wait_for_player_script(tab)
    times = sorted(
        {
            int(t)
            for t in page.eval_on_selector_all(
                "article a.ng-stamp", "links => links.map(a => a.dataset.t)"
            )
        }
    )
    assert len(times) >= 5
    open_dock(tab, stamp(tab, times[0]), KITE, times[0])
    previous = page.locator(f"{DOCK} .ng-dock-prev")
    following = page.locator(f"{DOCK} .ng-dock-next")
    assert previous.is_disabled() and following.is_enabled()
    notes = []
    for seconds in times[1:]:
        following.click()
        wait_for_seek(tab, seconds)
        assert marked(tab) == [str(seconds)]
        notes.append(dock_text(tab)[2])
    assert following.is_disabled()
    assert {"Kite talk", "Long talk"} <= set(notes), "the queue crosses notes"
    previous.click()
    wait_for_seek(tab, times[-2])
    tab.check()


def test_collapse_expand_and_close(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab)
    open_dock(tab, stamp(tab, 62), KITE, 62)
    frame = player_frame(tab).element_handle().content_frame()
    frame.evaluate("window.__same = true")
    full = page.locator(DOCK).bounding_box()["height"]
    fold = page.locator(f"{DOCK} .ng-dock-fold")
    fold.click()
    assert fold.get_attribute("aria-expanded") == "false"
    small = page.locator(DOCK).bounding_box()["height"]
    assert small < full / 3 and in_viewport(tab, DOCK)
    assert player_frame(tab).element_handle().content_frame().evaluate("window.__same") is True
    tab.click(stamp(tab, 184))  # a collapsed player still seeks
    wait_for_seek(tab, 184)
    fold.click()
    assert fold.get_attribute("aria-expanded") == "true"
    assert page.locator(DOCK).bounding_box()["height"] == full
    page.locator(f"{DOCK} .ng-dock-close").click()
    assert page.locator(DOCK).count() == 0 and page.locator("iframe").count() == 0
    assert marked(tab) == []
    open_dock(tab, stamp(tab, 30), KITE, 30)  # a new player for the next click
    tab.check()


def test_pause_and_play_from_the_dock(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab)
    open_dock(tab, stamp(tab, 62), KITE, 62)
    page.locator(f"{DOCK} .ng-dock-play").click()
    page.wait_for_function("document.querySelector('.ng-dock-play').ariaLabel === 'Play'")
    assert received(tab)[-1]["func"] == "pauseVideo"
    page.locator(f"{DOCK} .ng-dock-play").click()
    page.wait_for_function("document.querySelector('.ng-dock-play').ariaLabel === 'Pause'")
    assert received(tab)[-1]["func"] == "playVideo"
    tab.check()


def test_a_click_before_the_player_loaded_is_not_lost(open_tab: OpenTab, base: str):
    tab = open_tab(embed="hold")
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab)
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST):
        tab.click(stamp(tab, 62))
    tab.click(stamp(tab, 184))  # the embed has not loaded yet
    page.wait_for_timeout(200)
    assert tab.held, "the embed request went through"
    tab.release()
    wait_for_seek(tab, 184)
    assert player_frame(tab).count() == 1
    tab.click(stamp(tab, 62))  # and once it plays, a click seeks at once
    wait_for_seek(tab, 62)
    tab.check()


def test_player_shows_the_plain_link_when_the_embed_cannot_load(open_tab: OpenTab, base: str):
    """Offline or blocked: the reader gets the link to the moment, in seconds, not 8."""
    tab = open_tab(embed="abort")
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    wait_for_player_script(tab)
    here = page.url
    with page.expect_request(lambda r: urlsplit(r.url).hostname == EMBED_HOST):
        tab.click(stamp(tab, 62))
    link = page.locator(f"{DOCK} .ng-player-fallback a")
    link.wait_for(timeout=4000)
    assert link.get_attribute("href") == watch(KITE, 62)
    assert link.is_visible()
    tab.click(stamp(tab, 184))  # another moment: the link follows it
    page.wait_for_function(
        "document.querySelector('.ng-player-fallback a').href.endsWith('&t=184s')"
    )
    assert page.url == here
    tab.check()


def test_without_javascript_a_stamp_is_a_link_to_the_moment(open_tab: OpenTab, base: str):
    tab = open_tab(follow_watch=True, java_script_enabled=False)
    page = tab.page
    page.goto(base + "notes/kite-talk/")
    link = stamp(tab, 62)
    href = link.get_attribute("href")
    assert href == f"https://www.youtube.com/watch?v={KITE}&t=62s"
    assert page.locator(".ng-player-link").is_visible()
    assert page.locator(".ng-player-start").is_hidden(), "a dead button shows without JavaScript"
    with page.expect_request(lambda r: urlsplit(r.url).hostname == WATCH_HOST) as request:
        tab.click(link)
    assert request.value.url == href and request.value.is_navigation_request()
    page.wait_for_url(href)
    tab.check()


def test_stamp_seeks_a_self_hosted_video_in_the_dock(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/talks/self-hosted/")
    wait_for_player_script(tab)
    assert [url for _, url in tab.requests if url.endswith("talk.mp4")] == []
    here = page.url
    tab.click(stamp(tab, 65))
    video = f"document.querySelector('{DOCK} video')"
    page.wait_for_function(f"{video} && {video}.currentTime > 0")
    # The fixture file is no decodable video, but Chromium keeps the position the script set.
    assert page.evaluate(f"{video}.currentTime") == pytest.approx(65, abs=0.5)
    assert page.evaluate(f"{video}.src").endswith("/media/talk.mp4")
    assert page.url == here, "the stamp's #t= link must not be followed"
    assert dock_text(tab)[1:] == ("1:05", "Self hosted")
    tab.click(stamp(tab, 12))
    page.wait_for_function(f"{video}.currentTime < 60")
    assert page.evaluate(f"{video}.currentTime") == pytest.approx(12, abs=0.5)
    assert page.locator(f"{DOCK} video").count() == 1
    tab.check()


def test_play_button_opens_the_dock_at_the_start(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "videos/7gapprad7nc/")
    wait_for_player_script(tab)
    button = page.locator(".ng-player-start")
    assert button.is_visible() and tab.provider() == []
    open_dock(tab, button, KITE, 0)
    assert dock_text(tab)[:2] == ("Kite talk video", "0:00")
    tab.check()


def test_a_backlink_stamp_plays_in_the_dock(open_tab: OpenTab, base: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + "notes/tail-note/")  # a backlink from the kite talk, at 3:04
    page.wait_for_load_state("load")
    open_dock(tab, page.locator("a.ng-stamp[data-t='184']"), KITE, 184)
    assert dock_text(tab)[1:] == ("3:04", "Kite talk")
    tab.check()


def test_the_api_plays_a_moment_for_other_scripts(open_tab: OpenTab, base: str):
    """graph.js's edge panel, or any script: `notegraphVideo.play`, and links it adds."""
    tab = open_tab()
    page = tab.page
    page.goto(base + "graph/")
    page.wait_for_load_state("load")
    page.evaluate(
        """key => { const a = document.createElement('a');
                     a.className = 'ng-graph-moment'; a.textContent = 'moment';
                     a.href = 'https://www.youtube.com/watch?v=' + key + '&t=62s';
                     a.target = '_blank'; a.id = 'added';
                     document.querySelector('article').append(a); }""",
        KITE,
    )
    open_dock(tab, page.locator("#added"), KITE, 62)
    moments = page.evaluate(
        """() => new Promise(done => {
             document.addEventListener('notegraph:moment', e => done(e.detail), {once: true});
             notegraphVideo.play({video: 'yt:"""
        + KITE
        + """', t: 184, note: 'From the API'});
           })"""
    )
    assert moments["t"] == 184 and moments["note"] == "From the API"
    wait_for_seek(tab, 184)
    assert len(page.context.pages) == 1, "target=_blank opened no tab"
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


# --- video pages at scale ------------------------------------------------------------------------

BIG = "bigvideo123"  # 11 characters, a valid id


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory, build_vault: Any) -> Path:
    """A video cited by 20 notes of 50 moments each: 1,000 moments on its page."""
    notes = {
        f"part-{n:02}.md": f"---\nvideoId: {BIG}\n---\n# Part {n}\n\n"
        + "".join(
            f"Point {n}-{i} of the talk, said at length. [{format_seconds((n * 50 + i) * 7)}]\n\n"
            for i in range(50)
        )
        for n in range(20)
    }
    return build_vault("big-video", notes).site_dir


def test_a_video_page_of_1000_moments_is_grouped_and_short(browser: Any, big_site: Path):
    with serve(big_site) as url:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(url + f"videos/{BIG.lower()}/")
        assert page.locator("a.ng-stamp").count() == 1000
        groups = page.locator("details.ng-group")
        assert groups.count() == 20
        assert page.locator("details.ng-group[open]").count() == 0, "1,000 moments start closed"
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 5 * DESKTOP["height"], f"{height} px"
        assert page.locator("a.ng-stamp:visible").count() == 0
        groups.nth(3).locator("summary").click()
        assert groups.nth(3).get_attribute("open") is not None
        assert page.locator("a.ng-stamp:visible").count() == 50
        times = groups.nth(3).locator("a.ng-stamp").evaluate_all("a => a.map(x => +x.dataset.t)")
        assert times == sorted(times)
        assert page.evaluate("document.documentElement.scrollHeight") > height
        context.close()


# --- accessibility -------------------------------------------------------------------------------

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"


def serious(tab: Tab) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    tab.page.evaluate(AXE.read_text(encoding="utf-8"))
    results = tab.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize(
    "path", ["notes/kite-talk/", "topics/wind-shear/", "videos/7gapprad7nc/", "notes/tail-note/"]
)
def test_axe_finds_no_serious_violation(open_tab: OpenTab, base: str, path: str, scheme: str):
    tab = open_tab()
    page = tab.page
    page.goto(base + path)
    page.wait_for_load_state("load")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    assert serious(tab) == []
    # and with the player docked, a moment marked as playing
    first = page.locator("article a.ng-stamp").first
    video, seconds = first.get_attribute("data-video")[3:], int(first.get_attribute("data-t"))
    open_dock(tab, first, video, seconds)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    assert serious(tab) == []
    tab.check()

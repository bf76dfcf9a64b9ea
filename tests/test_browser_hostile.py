"""The hostile vault's site in a real browser: no contributor's script ever runs.

Every script injected into the hostile vault (`test_hostile.HOSTILE`) logs ``PWNED`` and opens
a dialog. Each page built from a hostile note, and every topic and tag page they make, is
loaded from 127.0.0.1 in headless Chromium; the inline event handlers a note could carry are
provoked by firing their events at every element of the article. No dialog may open, no
console message may carry the marker and no request may leave 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from browser import Tab, chromium, offline_page, require_chromium, serve
from test_hostile import (
    HOSTILE_ALIASES,
    HOSTILE_NAME,
    HOSTILE_TITLE,
    MARK,
    NOTES,
    HostileBuild,
    hostile_build,
)

pytestmark = pytest.mark.browser

# Events whose inline handlers (onclick=, onerror=, ...) a note could have smuggled in.
PROVOKE = """() => {
  const events = ["click", "mouseover", "mouseenter", "focus", "load", "error", "toggle",
                  "animationstart", "pointerover", "input", "change"];
  let fired = 0;
  for (const element of document.querySelectorAll("article *")) {
    for (const name of events) {
      if (name === "click" && element.closest("a[href], button, summary")) continue;
      element.dispatchEvent(new Event(name, {bubbles: false}));
      fired++;
    }
  }
  return fired;
}"""


@dataclass
class Watch:
    """What a tab saw: dialogs, console messages with the marker, uncaught errors."""

    tab: Tab
    dialogs: list[str] = field(default_factory=list)
    marked: list[str] = field(default_factory=list)

    @property
    def page(self) -> Any:
        return self.tab.page


def watch(browser: Any) -> Watch:
    tab = offline_page(browser, viewport={"width": 1200, "height": 900})
    seen = Watch(tab)

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message} on {tab.page.url}")
        dialog.dismiss()

    def on_console(message: Any) -> None:
        if MARK in message.text:
            seen.marked.append(f"{message.type}: {message.text} on {tab.page.url}")

    tab.page.on("dialog", on_dialog)
    tab.page.on("console", on_console)
    return seen


def assert_clean(seen: Watch) -> None:
    assert seen.dialogs == [], "a note's script opened a dialog"
    assert seen.marked == [], "a note's script ran"
    assert seen.tab.foreign == [], "a request left 127.0.0.1"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> HostileBuild:
    require_chromium()
    return hostile_build(tmp_path_factory, build_config)


@pytest.fixture(scope="module")
def base(hostile: HostileBuild) -> Iterator[str]:
    with serve(hostile.site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def seen(browser: Any) -> Iterator[Watch]:
    opened = watch(browser)
    yield opened
    opened.page.context.close()


def hostile_urls(hostile: HostileBuild) -> list[str]:
    """Every note page, every topic and tag page, the listings and the graph."""
    nodes = hostile.graph["nodes"]
    urls = [hostile.note_url(path) for path in sorted(NOTES)]
    urls += [n["url"] for n in nodes if n["kind"] in ("topic", "video")]
    urls += sorted(
        p.parent.relative_to(hostile.site_dir).as_posix() + "/"
        for p in (hostile.site_dir / "tags").rglob("index.html")
    )
    urls += ["", "notes/", "notes/names/", "notes/html/", "topics/", "az/", "graph/"]
    return list(dict.fromkeys(urls))


def test_no_page_built_from_hostile_notes_runs_a_script(hostile, base, seen):
    fired = 0
    for url in hostile_urls(hostile):
        seen.page.goto(base + quote(url, safe="/"), wait_until="load", timeout=60_000)
        fired += seen.page.evaluate(PROVOKE)
        seen.page.wait_for_timeout(50)
    assert fired > 0
    assert_clean(seen)


def test_searching_for_the_marker_shows_hostile_titles_as_text(hostile, base, seen):
    seen.page.goto(base, wait_until="load")
    seen.page.click(".md-search__input")  # at this width the box sits in the header
    seen.page.fill(".md-search__input", MARK)
    items = seen.page.locator(".md-search-result__item h1")
    items.first.wait_for(timeout=20_000)
    titles = items.all_text_contents()
    assert HOSTILE_TITLE in titles
    assert HOSTILE_NAME in titles
    seen.page.evaluate(PROVOKE.replace("article *", ".md-search-result *"))
    seen.page.wait_for_timeout(200)
    assert_clean(seen)


def test_graph_search_shows_a_hostile_alias_match_as_text(hostile, base, seen):
    seen.page.goto(base + "graph/", wait_until="load")
    seen.page.wait_for_function("window.notegraph && window.notegraph.ready", timeout=30_000)
    seen.page.fill(".ng-graph-search", "O'Brien")
    results = seen.page.locator(".ng-graph-result")
    results.first.wait_for(timeout=10_000)
    assert HOSTILE_TITLE in results.all_text_contents()
    seen.page.fill(".ng-graph-search", "onerror")
    seen.page.wait_for_timeout(200)
    shown = seen.page.locator(".ng-graph-result").all_text_contents()
    assert HOSTILE_TITLE in shown or HOSTILE_NAME in shown, (shown, HOSTILE_ALIASES)
    seen.page.press(".ng-graph-search", "Enter")
    seen.page.wait_for_timeout(300)
    assert_clean(seen)

"""Reading in a real browser: link previews, and what a page downloads before it is read.

A fixture site is built in tmp_path and served on 127.0.0.1; every test fails if a page
requests anything from another host or throws a JS error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import Tab, chromium, offline_page, require_chromium, serve
from conftest import write_files

pytestmark = pytest.mark.browser

KITE = "7gaPPrAd7nc"
LONG = "\n\n".join(f"Paragraph {i} of a long note, which the reader scrolls." for i in range(60))
VAULT = {
    "alice.md": "---\ntitle: Alice\n---\n\nFrom: [[Hub]]\n\nAlice opens with her own words "
    "about kites. She works with [[Bob]] on [[Wind power]] and watches [[Kite talk]].\n",
    "bob.md": "# Bob\n\nBob builds gliders & &lt;sheds&gt;; he knows [[Alice]].\n\n"
    "A second paragraph.\n",
    "hub.md": "# Hub\n\nEvery note: [[Alice]], [[Bob]].\n",
    "kite.md": f"---\ntitle: Kite talk\nvideoId: {KITE}\n---\n\nKites need [[Wind power]] "
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>; then [[Bob]] speaks '
    '<a class="yt-timestamp" data-t="00:03:04">[00:03:04]</a>.\n',
    "long.md": f"# Long\n\nThe long note links to [[Alice]].\n\n{LONG}\n",
}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    return tmp_path_factory.mktemp("reading-site")


@pytest.fixture(scope="module")
def base(root: Path) -> Iterator[str]:
    with serve(root / "site") as url:
        yield url


def _build(root: Path, base: str, build_config: Any, name: str, **options: Any) -> Path:
    write_files(root / "vault", VAULT)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n\nThe fixture.\n", encoding="utf-8")
    config = {
        "site_name": "Reading fixture",
        "site_url": base,  # Material's instant navigation follows only its sitemap's URLs
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": ["search", {"notegraph": {"notes_dir": "vault", **options}}],
    }
    (root / f"{name}.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return build_config(root / f"{name}.yml", root / name, strict=True).site_dir


@pytest.fixture(scope="module")
def site(root: Path, base: str, build_config: Any) -> Path:
    return _build(root, base, build_config, "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = offline_page(browser, viewport={"width": 1366, "height": 900})
    yield opened
    assert not opened.foreign, opened.foreign
    assert not opened.errors, opened.errors
    opened.page.context.close()


def preview(tab: Tab) -> dict[str, str]:
    box = tab.page.locator("#ng-preview")
    box.wait_for(state="visible", timeout=10_000)
    return {
        "kind": box.locator(".ng-preview-kind").inner_text(),
        "title": box.locator(".ng-preview-title").inner_text(),
        "text": box.locator(".ng-preview-text").inner_text(),
    }


def test_hovering_a_note_link_previews_the_note(tab: Tab, base: str, site: Path):
    tab.page.goto(base + "notes/alice/")
    link = tab.page.locator("article a", has_text="Bob").first
    link.hover()
    shown = preview(tab)
    assert shown == {
        "kind": "Note",
        "title": "Bob",
        "text": "Bob builds gliders & <sheds>; he knows Alice.",  # as text, its own words
    }
    box = tab.page.locator("#ng-preview").bounding_box()
    under = link.bounding_box()
    assert box is not None and under is not None and box["y"] >= under["y"] + under["height"]
    assert link.get_attribute("aria-describedby") == "ng-preview"
    tab.page.mouse.move(5, 5)
    tab.page.locator("#ng-preview").wait_for(state="hidden")
    assert link.get_attribute("aria-describedby") is None


def test_a_topic_and_a_video_note_show_their_kind_and_counts(tab: Tab, base: str, site: Path):
    tab.page.goto(base + "notes/alice/")
    tab.page.locator("article a", has_text="Wind power").first.hover()
    topic = preview(tab)
    assert topic["title"] == "Wind power"
    assert topic["kind"].startswith("Topic · 2 mentions in 2 notes")
    assert topic["text"].startswith("She works with Bob on Wind power")
    tab.page.mouse.move(5, 5)
    tab.page.locator("#ng-preview").wait_for(state="hidden")
    tab.page.locator("article a", has_text="Kite talk").first.hover()
    video = preview(tab)
    assert video["kind"] == "Note · 2 moments" and video["title"] == "Kite talk"
    assert video["text"] == "Kites need Wind power; then Bob speaks."  # no raw stamps


def test_the_opening_is_the_notes_words_not_its_from_line(tab: Tab, base: str, site: Path):
    tab.page.goto(base + "notes/bob/")
    tab.page.locator("article a", has_text="Alice").first.hover()
    assert preview(tab)["text"].startswith("Alice opens with her own words about kites.")


def test_focusing_a_link_with_the_keyboard_previews_it_and_escape_closes(
    tab: Tab, base: str, site: Path
):
    tab.page.goto(base + "notes/alice/")
    target = tab.page.locator("article a", has_text="Bob").first
    for _ in range(60):  # Tab through the page, as a keyboard user does
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement.textContent") == "Bob":
            break
    assert target.evaluate("a => a === document.activeElement")
    assert preview(tab)["title"] == "Bob"
    tab.page.keyboard.press("Escape")
    tab.page.locator("#ng-preview").wait_for(state="hidden")
    tab.page.keyboard.press("Tab")  # the next link gets its own preview
    assert preview(tab)["title"] == "Wind power"


def test_previews_work_after_an_instant_navigation(tab: Tab, base: str, site: Path):
    page = tab.page
    page.goto(base + "notes/alice/")
    page.evaluate("window.__same_document = true")
    page.locator("article a", has_text="Bob").first.click()
    page.wait_for_url("**/notes/bob/")
    assert page.evaluate("window.__same_document === true"), "navigation was not instant"
    assert page.locator("#ng-preview").is_hidden()
    page.locator("article a", has_text="Alice").first.hover()
    assert preview(tab)["title"] == "Alice"


def test_links_out_of_the_site_and_to_this_page_get_no_preview(tab: Tab, base: str, site: Path):
    tab.page.goto(base + "notes/kite/")
    requests: list[str] = []
    tab.page.on("request", lambda request: requests.append(request.url))
    tab.page.locator("article a.ng-stamp").first.hover()  # a moment: it plays, no preview
    tab.page.locator("a.md-header__button.md-logo, a.md-nav__link").first.hover()
    tab.page.wait_for_timeout(800)
    assert (
        tab.page.locator("#ng-preview").count() == 0 or tab.page.locator("#ng-preview").is_hidden()
    )
    assert not [url for url in requests if "/preview/" in url]


def test_previews_are_off_with_the_option(browser: Any, root: Path, base: str, build_config):
    off = _build(root, base, build_config, "off", link_previews=False)
    assert not (off / "preview").exists()
    assert not (off / "assets" / "notegraph" / "preview.js").exists()
    assert "preview.js" not in (off / "notes" / "alice" / "index.html").read_text()


# --- what a page downloads ---------------------------------------------------------------------


def test_the_local_graph_and_vis_network_load_only_when_scrolled_to(
    tab: Tab, base: str, site: Path
):
    page = tab.page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(base + "notes/long/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if "vis-network" in url or "/graph/local/" in url]
    html = (site / "notes" / "long" / "index.html").read_text()
    assert "data-ng-local=" not in html  # the data is not in the page
    assert 'data-ng-local-src="graph/local/notes/long.json"' in html
    page.locator(".ng-local-graph").scroll_into_view_if_needed()
    page.wait_for_function("window.notegraph && window.notegraph.local", timeout=20_000)
    assert page.locator(".ng-local-graph canvas").is_visible()
    assert [url for url in requests if url.endswith("/graph/local/notes/long.json")]
    assert [url for url in requests if "vis-network" in url]


def test_no_page_loads_material_search_assets(tab: Tab, base: str, site: Path):
    requests: list[str] = []
    tab.page.on("request", lambda request: requests.append(request.url))
    tab.page.goto(base + "notes/alice/")
    tab.page.wait_for_load_state("networkidle")
    assert not [u for u in requests if "search_index.json" in u or "workers/search." in u]

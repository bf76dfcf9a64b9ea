"""The graph in a real browser: a fixture site built in tmp_path, served on 127.0.0.1.

Every test fails if the page requests anything from another host or throws a JS error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import Tab, chromium, offline_page, require_chromium, serve
from conftest import write_files

pytestmark = pytest.mark.browser

KITE = "7gaPPrAd7nc"
VAULT = {
    "people/alice.md": "---\ntags: [person]\n---\n# Alice\n\nAlice works with [[Bob]] on "
    "[[Project X]] and reads about [[Graph theory]].\n",
    "people/bob.md": "---\naliases: [Bobby]\ntags: [person]\n---\n# Bob\n\nBob knows "
    "[[Alice]] and [[Carol]].\n",
    "people/carol.md": "# Carol\n\nCarol likes [[Graph theory]] and [[Typography]].\n",
    "projects/project_x.md": "---\ntags: [project]\n---\n# Project X\n\nRun by [[Alice]].\n",
    "lonely.md": "# Lonely\n\nNo links at all.\n",
    # A video note: its links sit in timestamped sentences, so their edges carry moments.
    "talks/kite.md": f"---\nvideoId: {KITE}\n---\n# Kite talk\n\nKites need [[Wind]] to fly "
    '<a class="yt-timestamp" data-t="00:01:02">[00:01:02]</a>. The [[Lonely]] note is '
    "quiet [03:04].\n",
}
TOPIC_COLOR = "#123456"  # graph_colors: topics, in both palettes
PEOPLE_COLOR = "#e91e63"  # graph_folder_colors: notes under people/
NOTES = 6
TOPICS = 3  # Graph theory, Typography, Wind
VIDEOS = 1


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    return tmp_path_factory.mktemp("graph-site")


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
        "site_name": "Graph fixture",
        # Material's instant navigation only follows links listed in sitemap.xml, whose
        # URLs it matches on host and port: the site must know where it is served.
        "site_url": base,
        # Material's header would fetch the repository's stars from api.github.com; the
        # plugin keeps it a plain link (the fence fails every test on an outside request).
        "repo_url": "https://github.com/owner/repo",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
        "plugins": [
            "search",
            {
                "notegraph": {
                    "notes_dir": "vault",
                    "graph_colors": {"topic": TOPIC_COLOR},
                    "graph_folder_colors": {"people": PEOPLE_COLOR},
                }
            },
        ],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_config(root / "mkdocs.yml", root / "site", strict=True)
    assert not built.warnings
    return built.site_dir


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    opened = offline_page(browser, viewport={"width": 1200, "height": 900})
    yield opened
    opened.page.context.close()
    assert not opened.foreign, f"requests left the site: {opened.foreign}"
    assert not opened.errors, f"JavaScript errors: {opened.errors}"


def open_graph(tab: Tab, base: str) -> None:
    tab.page.goto(base + "graph/")
    tab.page.wait_for_function("window.notegraph && window.notegraph.ready", timeout=20_000)


def node_id(tab: Tab, title: str) -> int:
    return tab.page.evaluate("t => window.notegraph.data.nodes.title.indexOf(t)", title)


def click_node(tab: Tab, node: int) -> None:
    """Click the middle of a node on the canvas, where vis-network draws it."""
    point = tab.page.evaluate(
        """id => {
          const net = window.notegraph.network;
          const p = net.canvasToDOM(net.getPositions([id])[id]);
          const box = net.body.container.getBoundingClientRect();
          return {x: box.left + p.x, y: box.top + p.y};
        }""",
        node,
    )
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.mouse.click(point["x"], point["y"])


def test_graph_page_draws_every_node(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    count = tab.page.evaluate("Object.keys(window.notegraph.network.body.nodes).length")
    assert count == NOTES + TOPICS + VIDEOS
    assert tab.page.evaluate("window.notegraph.visibleCount()") == NOTES + TOPICS + VIDEOS
    edges = json.loads((site / "graph" / "view.json").read_text())["edges"]
    drawn = tab.page.evaluate("Object.keys(window.notegraph.network.body.edges).length")
    assert drawn == len(edges) // 2 > 0
    assert tab.page.locator(".ng-graph-fallback").is_hidden()


def test_clicking_a_node_opens_its_page(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    click_node(tab, node_id(tab, "Carol"))
    tab.page.wait_for_url("**/notes/people/carol/", timeout=10_000)
    # Instant navigation changes the URL first, then swaps the content in.
    tab.page.wait_for_function(
        "document.querySelector('article h1')?.textContent.trim() === 'Carol'", timeout=10_000
    )


def test_search_by_alias_focuses_the_node(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    tab.page.fill(".ng-graph-search", "bobb")
    assert tab.page.locator(".ng-graph-result").all_inner_texts() == ["Bob"]
    tab.page.press(".ng-graph-search", "Enter")
    bob = node_id(tab, "Bob")
    assert tab.page.evaluate("window.notegraph.focused") == bob
    assert tab.page.evaluate("window.notegraph.network.getSelectedNodes()") == [bob]


def test_kind_filter_hides_topics(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    tab.page.uncheck(".ng-graph-legend input[data-kind=topic]")
    assert tab.page.evaluate("window.notegraph.visibleCount()") == NOTES + VIDEOS
    tab.page.check(".ng-graph-legend input[data-kind=topic]")
    assert tab.page.evaluate("window.notegraph.visibleCount()") == NOTES + TOPICS + VIDEOS


def test_tag_filter(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    tab.page.select_option(".ng-graph-filter[name=tag]", label="person")
    assert tab.page.evaluate("window.notegraph.visibleCount()") == 2


def local_titles(tab: Tab) -> list[str]:
    return tab.page.evaluate(
        """() => window.notegraph.local.body.data.nodes.get()
             .filter(n => !n.hidden).map(n => n.label)"""
    )


def test_local_graph_survives_instant_navigation(tab: Tab, base: str, site: Path):
    page = tab.page
    page.goto(base + "notes/people/alice/")
    page.wait_for_function("window.notegraph && window.notegraph.local", timeout=20_000)
    assert page.locator(".ng-local-graph canvas").is_visible()
    assert sorted(local_titles(tab)) == ["Alice", "Bob", "Graph theory", "Project X"]
    page.evaluate("window.__same_document = true")
    page.locator("article a[href*='bob']").first.click()
    page.wait_for_url("**/notes/people/bob/")
    page.wait_for_function(
        "window.notegraph.local && window.notegraph.local.body.data.nodes.get(0).label === 'Bob'",
        timeout=20_000,
    )
    assert page.evaluate("window.__same_document === true"), "navigation was not instant"
    assert sorted(local_titles(tab)) == ["Alice", "Bob", "Carol"]
    assert page.locator(".ng-local-graph canvas").count() == 1  # the old one is gone
    page.click(".ng-local-expand")
    assert "Project X" in local_titles(tab)  # two links away, through Alice


def test_local_graph_on_a_phone(browser: Any, base: str, site: Path):
    tab = offline_page(browser, viewport={"width": 375, "height": 740}, is_mobile=True)
    tab.page.goto(base + "topics/graph-theory/")
    tab.page.wait_for_function("window.notegraph && window.notegraph.local", timeout=20_000)
    box = tab.page.locator(".ng-local-graph canvas").bounding_box()
    assert box is not None and 300 <= box["width"] <= 375
    assert sorted(local_titles(tab)) == ["Alice", "Carol", "Graph theory"]
    assert not tab.foreign and not tab.errors
    tab.page.context.close()


def test_without_javascript_pages_read_fine(browser: Any, base: str, site: Path):
    tab = offline_page(browser, java_script_enabled=False)
    tab.page.goto(base + "notes/people/alice/")
    assert tab.page.locator(".ng-local-graph").count() == 1
    assert tab.page.locator(".ng-local-graph").is_hidden()
    tab.page.goto(base + "graph/")
    assert tab.page.locator(".ng-graph-fallback").is_visible()
    assert "A–Z index" in tab.page.locator(".ng-graph-fallback").inner_text()
    assert not tab.foreign
    tab.page.context.close()


# --- moments on edges ----------------------------------------------------------------------------


def click_edge(tab: Tab, network: str, edge: int) -> None:
    """Click a point of an edge where no node (or its label) would take the click."""
    point = tab.page.evaluate(
        """([network, id]) => {
          const net = window.notegraph[network];
          const edge = net.body.edges[id];
          const ends = net.getPositions([edge.fromId, edge.toId]);
          const a = ends[edge.fromId], b = ends[edge.toId];
          const box = net.body.container.getBoundingClientRect();
          for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
            const p = net.canvasToDOM({x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y)});
            if (net.getNodeAt(p) === undefined && String(net.getEdgeAt(p)) === String(id)) {
              return {x: box.left + p.x, y: box.top + p.y};
            }
          }
          return null;
        }""",
        [network, edge],
    )
    assert point is not None, "no free point on the edge to click"
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.mouse.click(point["x"], point["y"])


def edge_index(data: dict, source: str, target: str) -> int:
    titles = data["nodes"]["title"]
    pairs = list(zip(data["edges"][::2], data["edges"][1::2], strict=True))
    return pairs.index((titles.index(source), titles.index(target)))


def moment_links(tab: Tab, panel: str) -> list[tuple[str, str | None]]:
    tab.page.wait_for_selector(f"{panel} .ng-graph-moment")
    return [
        (item.inner_text(), item.get_attribute("href"))
        for item in tab.page.locator(f"{panel} .ng-graph-moment").all()
    ]


def watch(seconds: int) -> str:
    return f"https://www.youtube.com/watch?v={KITE}&t={seconds}s"


def test_note_to_topic_edge_plays_its_moment(tab: Tab, base: str, site: Path):
    """The link to a topic sits in a timestamped sentence: the edge plays the note's video."""
    open_graph(tab, base)
    data = tab.page.evaluate("window.notegraph.data")
    click_edge(tab, "network", edge_index(data, "Kite talk", "Wind"))
    assert tab.page.locator(".ng-graph .ng-graph-edge-name").inner_text() == "Kite talk → Wind"
    assert moment_links(tab, ".ng-graph .ng-graph-panel") == [("▶ 1:02", watch(62))]


def test_local_graph_note_to_note_edge_plays_its_moment(tab: Tab, base: str, site: Path):
    page = tab.page
    page.goto(base + "notes/talks/kite/")
    page.wait_for_function("window.notegraph && window.notegraph.local", timeout=20_000)
    page.locator(".ng-local-graph canvas").scroll_into_view_if_needed()
    data = page.evaluate(
        "JSON.parse(document.querySelector('.ng-local-graph').getAttribute('data-ng-local'))"
    )
    click_edge(tab, "local", edge_index(data, "Kite talk", "Lonely"))
    assert moment_links(tab, ".ng-local-graph .ng-graph-panel") == [("▶ 3:04", watch(184))]


# --- colours -------------------------------------------------------------------------------------

# The theme's own colours of notes (graph.css), light and dark; topics take the configured one.
NOTE_LIGHT, NOTE_DARK, TOPIC_RGB = "rgb(59, 111, 212)", "rgb(134, 169, 255)", "rgb(18, 52, 86)"


def set_scheme(tab: Tab, scheme: str) -> None:
    """Switch palettes the way Material's toggle does: the body's data-md-color-scheme."""
    tab.page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)


def swatch(tab: Tab, kind: str) -> str:
    return tab.page.evaluate(
        "k => getComputedStyle(document.querySelector('.ng-swatch--' + k)).backgroundColor", kind
    )


def test_legend_swatches_show_the_configured_colours(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    assert (swatch(tab, "topic"), swatch(tab, "note")) == (TOPIC_RGB, NOTE_LIGHT)
    set_scheme(tab, "slate")
    assert (swatch(tab, "topic"), swatch(tab, "note")) == (TOPIC_RGB, NOTE_DARK)
    # the nodes agree with their swatches
    topic = node_id(tab, "Wind")
    group = tab.page.evaluate(
        "id => window.notegraph.network.body.nodes[id].options.color.background", topic
    )
    assert group == TOPIC_COLOR


def test_local_graph_folder_colours_follow_the_palette(tab: Tab, base: str, site: Path):
    page = tab.page
    page.goto(base + "notes/people/alice/")
    page.wait_for_function("window.notegraph && window.notegraph.local", timeout=20_000)
    color = "window.notegraph.local.body.nodes[0].options.color"
    light = page.evaluate(color)
    assert light["background"] == PEOPLE_COLOR  # Alice is under people/
    set_scheme(tab, "slate")
    page.wait_for_function(f"{color}.border !== {json.dumps(light['border'])}")
    dark = page.evaluate(color)
    assert dark["background"] == PEOPLE_COLOR
    # Its border follows the palette like every other node's (graph.css, --ng-graph-border).
    assert (light["border"], dark["border"]) == ("rgba(0, 0, 0, 0.45)", "rgba(255, 255, 255, 0.5)")
    assert dark["highlight"]["border"] != light["highlight"]["border"]

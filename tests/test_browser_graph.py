"""The graph in a real browser: a fixture site built in tmp_path, served on 127.0.0.1.

Every test fails if the page requests anything from another host or throws a JS error.
"""

from __future__ import annotations

import json
import math
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
    return tab.page.evaluate("window.notegraphGraph.localNodes()")


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
        "window.notegraph.local && window.notegraphGraph.localNodes()[0] === 'Bob'",
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


# --- tooltips, labels, the edge panel -----------------------------------------------------------


def node_point(tab: Tab, network: str, node: int) -> dict[str, float]:
    """Where a node is drawn, in page coordinates."""
    return tab.page.evaluate(
        """([network, id]) => {
          const net = window.notegraph[network];
          const p = net.canvasToDOM(net.getPositions([id])[id]);
          const box = net.body.container.getBoundingClientRect();
          return {x: box.left + p.x, y: box.top + p.y};
        }""",
        [network, node],
    )


def edge_point(tab: Tab, network: str, edge: int) -> dict[str, float]:
    """A point of an edge where no node (or its label) would take the pointer."""
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
    assert point is not None, "no free point on the edge"
    return point


def click_edge(tab: Tab, network: str, edge: int) -> None:
    """Click a point of an edge where no node (or its label) would take the click."""
    point = edge_point(tab, network, edge)
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.mouse.click(point["x"], point["y"])


def tooltip(tab: Tab) -> str | None:
    return tab.page.evaluate("window.notegraphGraph.tooltip()")


def open_local(tab: Tab, base: str, path: str) -> dict[str, Any]:
    """Open a page, scroll its local graph into view; returns the graph's data."""
    tab.page.goto(base + path)
    tab.page.wait_for_function(
        "window.notegraph && window.notegraph.local && window.notegraphGraph.localLabels().length",
        timeout=20_000,
    )
    tab.page.locator(".ng-local-graph canvas").scroll_into_view_if_needed()
    return tab.page.evaluate(
        "JSON.parse(document.querySelector('.ng-local-graph').getAttribute('data-ng-local'))"
    )


def overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of label boxes that overlap (touching edges do not count)."""
    found = []
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            if (
                a["x"] < b["x"] + b["width"]
                and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"]
                and b["y"] < a["y"] + a["height"]
            ):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize(
    ("network", "path", "title", "meta"),
    [
        ("network", "graph/", "Carol", "note · people/ · 3 links"),
        ("network", "graph/", "Graph theory", "topic · 2 links"),
        ("local", "notes/people/alice/", "Bob", "note · people/ · 2 links"),
        ("local", "notes/people/alice/", "Project X", "note · projects/ · 1 link"),
    ],
)
def test_pointing_at_a_node_shows_its_tooltip(
    tab: Tab, base: str, site: Path, network: str, path: str, title: str, meta: str
):
    if network == "network":
        open_graph(tab, base)
        node = node_id(tab, title)
    else:
        node = open_local(tab, base, path)["nodes"]["title"].index(title)
    assert tooltip(tab) is None
    point = node_point(tab, network, node)
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.wait_for_function("window.notegraphGraph.tooltip() !== null", timeout=5_000)
    assert tooltip(tab).splitlines()[:2] == [title, meta]
    assert tab.page.locator(".ng-graph-tip").is_visible()
    # The pointed node's label is drawn in full.
    texts = [
        box["text"]
        for box in tab.page.evaluate(
            "window.notegraphGraph." + ("labels()" if network == "network" else "localLabels()")
        )
    ]
    assert title in texts
    tab.page.mouse.move(2, 2)  # away from the graph
    tab.page.wait_for_function("window.notegraphGraph.tooltip() === null", timeout=5_000)


@pytest.mark.parametrize(
    ("network", "path", "source", "target", "moment"),
    [
        ("network", "graph/", "Kite talk", "Wind", "1:02"),
        ("local", "notes/talks/kite/", "Kite talk", "Lonely", "3:04"),
    ],
)
def test_pointing_at_an_edge_shows_its_moments(
    tab: Tab, base: str, site: Path, network: str, path: str, source: str, target: str, moment: str
):
    if network == "network":
        open_graph(tab, base)
        data = tab.page.evaluate("window.notegraph.data")
    else:
        data = open_local(tab, base, path)
    point = edge_point(tab, network, edge_index(data, source, target))
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.wait_for_function("window.notegraphGraph.tooltip() !== null", timeout=5_000)
    assert tooltip(tab).splitlines() == [
        f"{source} → {target}",
        f"1 moment: {moment}",
        "click to play",
    ]


def test_status_line_forgets_the_node_once_the_pointer_leaves(tab: Tab, base: str, site: Path):
    open_graph(tab, base)
    status = tab.page.locator(".ng-graph-status")
    summary = status.inner_text()
    assert summary.startswith(f"{NOTES + TOPICS + VIDEOS} of {NOTES + TOPICS + VIDEOS} nodes")
    point = node_point(tab, "network", node_id(tab, "Carol"))
    tab.page.mouse.move(point["x"], point["y"])
    tab.page.wait_for_function(
        "document.querySelector('.ng-graph-status').textContent.startsWith('Carol')"
    )
    tab.page.mouse.move(point["x"], 5)  # out of the canvas, over the page
    tab.page.wait_for_function(
        "t => document.querySelector('.ng-graph-status').textContent === t", arg=summary
    )


def test_labels_never_overlap_and_the_searched_node_is_named_in_full(
    tab: Tab, base: str, site: Path
):
    open_graph(tab, base)
    labels = "window.notegraphGraph.labels()"
    # Zoomed far out, every node sits on the others: only labels that fit are drawn.
    tab.page.evaluate("window.notegraph.network.moveTo({scale: 0.03})")
    tab.page.wait_for_timeout(100)
    crowded = tab.page.evaluate(labels)
    assert 1 <= len(crowded) < NOTES + TOPICS + VIDEOS
    assert not overlapping(crowded)
    tab.page.fill(".ng-graph-search", "bobb")
    tab.page.press(".ng-graph-search", "Enter")
    tab.page.wait_for_timeout(600)  # the animation to the node
    found = tab.page.evaluate(labels)
    assert "Bob" in [box["text"] for box in found]
    assert not overlapping(found)
    canvas = tab.page.locator(".ng-graph-canvas").bounding_box()
    assert canvas is not None
    for box in found:  # inside the canvas: no label is cut
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
        assert (
            canvas["y"] <= box["y"] and box["y"] + box["height"] <= canvas["y"] + canvas["height"]
        )


def inside_viewport(tab: Tab, selector: str) -> bool:
    box = tab.page.locator(selector).bounding_box()
    size = tab.page.viewport_size
    assert box is not None and size is not None
    inside_x = box["x"] >= 0 and box["x"] + box["width"] <= size["width"]
    return inside_x and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def edge_to_corner(tab: Tab, network: str, edge: int) -> None:
    """Pan a graph so that the middle of an edge sits 40 px inside the bottom right corner of
    the part of its canvas the reader sees, where a panel opened below and right of the
    click would go out of the window."""
    tab.page.evaluate(
        """([network, id]) => {
          const net = window.notegraph[network];
          const edge = net.body.edges[id];
          const ends = net.getPositions([edge.fromId, edge.toId]);
          const a = ends[edge.fromId], b = ends[edge.toId];
          const middle = net.canvasToDOM({x: (a.x + b.x) / 2, y: (a.y + b.y) / 2});
          const box = net.body.container.getBoundingClientRect();
          const right = Math.min(box.right, window.innerWidth) - box.left - 40;
          const bottom = Math.min(box.bottom, window.innerHeight) - box.top - 40;
          const centre = net.getViewPosition(), scale = net.getScale();
          const x = centre.x + (middle.x - right) / scale;
          const y = centre.y + (middle.y - bottom) / scale;
          net.moveTo({position: {x: x, y: y}, scale: scale, animation: false});
        }""",
        [network, edge],
    )


def inside(tab: Tab, selector: str, outer: str) -> bool:
    box, around = (tab.page.locator(s).bounding_box() for s in (selector, outer))
    assert box is not None and around is not None
    inside_x = around["x"] <= box["x"] and box["x"] + box["width"] <= around["x"] + around["width"]
    bottom = around["y"] + around["height"]
    return inside_x and around["y"] <= box["y"] and box["y"] + box["height"] <= bottom


def test_edge_panel_opens_in_view(tab: Tab, base: str, site: Path):
    tab.page.set_viewport_size({"width": 1366, "height": 900})
    open_graph(tab, base)
    data = tab.page.evaluate("window.notegraph.data")
    edge = edge_index(data, "Kite talk", "Wind")
    edge_to_corner(tab, "network", edge)
    click_edge(tab, "network", edge)
    panel = ".ng-graph .ng-graph-panel"
    tab.page.wait_for_selector(panel, state="visible")
    assert inside_viewport(tab, panel) and inside(tab, panel, ".ng-graph-canvas")
    tab.page.click(f"{panel} .ng-graph-panel-close")
    assert tab.page.locator(panel).is_hidden()
    # A local graph cut by the bottom of the window: the panel opens above the click.
    data = open_local(tab, base, "notes/talks/kite/")
    tab.page.evaluate(
        """() => {
          const box = document.querySelector('.ng-local-graph canvas').getBoundingClientRect();
          window.scrollBy(0, box.top + box.height - window.innerHeight + 60);
        }"""
    )
    edge = edge_index(data, "Kite talk", "Lonely")
    edge_to_corner(tab, "local", edge)
    click_edge(tab, "local", edge)
    panel = ".ng-local-graph .ng-graph-panel"
    tab.page.wait_for_selector(panel, state="visible")
    assert inside_viewport(tab, panel) and inside(tab, panel, ".ng-local-canvas")


def test_local_graph_marks_its_page_and_fits_its_labels(tab: Tab, base: str, site: Path):
    open_local(tab, base, "notes/people/alice/")
    boxes = tab.page.evaluate("window.notegraphGraph.localLabels()")
    canvas = tab.page.locator(".ng-local-graph canvas").bounding_box()
    assert canvas is not None
    assert sorted(box["text"] for box in boxes) == ["Alice", "Bob", "Graph theory", "Project X"]
    assert not overlapping(boxes)
    for box in boxes:
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
    # The page's node is in the middle, bigger than the others, its label in bold.
    centre = node_point(tab, "local", 0)
    assert abs(centre["x"] - (canvas["x"] + canvas["width"] / 2)) < 2
    assert abs(centre["y"] - (canvas["y"] + canvas["height"] / 2)) < 2
    sizes = tab.page.evaluate(
        "Object.values(window.notegraph.local.body.nodes).map(n => n.options.size)"
    )
    assert sizes[0] > max(sizes[1:])


def test_local_graph_on_a_phone_labels_inside_the_screen(browser: Any, base: str, site: Path):
    tab = offline_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    open_local(tab, base, "notes/people/bob/")
    boxes = tab.page.evaluate("window.notegraphGraph.localLabels()")
    assert {"Alice", "Carol"} <= {box["text"] for box in boxes}
    assert not overlapping(boxes)
    for box in boxes:
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert not tab.foreign and not tab.errors
    tab.page.context.close()


def test_touch_shows_a_node_then_opens_it(browser: Any, base: str, site: Path):
    tab = offline_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    open_graph(tab, base)
    carol = node_id(tab, "Carol")
    point = node_point(tab, "network", carol)
    tab.page.touchscreen.tap(point["x"], point["y"])
    tab.page.wait_for_function("window.notegraphGraph.tooltip() !== null", timeout=5_000)
    lines = tooltip(tab).splitlines()
    assert lines[:2] == ["Carol", "note · people/ · 3 links"] and lines[-1] == "tap again to open"
    assert "Carol" in [box["text"] for box in tab.page.evaluate("window.notegraphGraph.labels()")]
    assert tab.page.url.endswith("/graph/")
    tab.page.touchscreen.tap(point["x"], point["y"])
    tab.page.wait_for_url("**/notes/people/carol/", timeout=10_000)
    assert not tab.foreign and not tab.errors
    tab.page.context.close()


def touches(tab: Tab, moves: list[list[tuple[float, float]]]) -> None:
    """Fingers on the screen (Chromium's DevTools protocol): each step lists where each
    finger is; the fingers lift after the last."""
    cdp = tab.page.context.new_cdp_session(tab.page)
    for k, fingers in enumerate(moves):
        points = [{"x": x, "y": y, "id": f} for f, (x, y) in enumerate(fingers)]
        kind = "touchStart" if k == 0 else "touchMove"
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})
        tab.page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    tab.page.wait_for_timeout(300)


@pytest.mark.parametrize(
    ("network", "path"), [("network", "graph/"), ("local", "notes/people/alice/")]
)
def test_pinch_zooms_a_graph_and_a_finger_scrolls_past_a_local_one(
    browser: Any, base: str, site: Path, network: str, path: str
):
    tab = offline_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    if network == "network":
        open_graph(tab, base)
        canvas = ".ng-graph-canvas"
    else:
        open_local(tab, base, path)
        canvas = ".ng-local-canvas"
    box = tab.page.locator(canvas).bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 300)
    scale = f"window.notegraph.{network}.getScale()"
    before = tab.page.evaluate(scale)
    touches(tab, [[(x - d, y), (x + d, y)] for d in range(20, 100, 5)])
    assert tab.page.evaluate(scale) > 2 * before
    if network == "local":  # one finger up the graph: the page scrolls on
        tab.page.evaluate("window.scrollTo(0, 0)")
        tab.page.locator(canvas).scroll_into_view_if_needed()
        box = tab.page.locator(canvas).bounding_box()
        assert box is not None
        top = tab.page.evaluate("window.scrollY")
        start = box["y"] + min(box["height"] - 10, 400)
        touches(tab, [[(x, start - 12 * k)] for k in range(15)])
        assert tab.page.evaluate("window.scrollY") > top + 50
    assert not tab.foreign and not tab.errors
    tab.page.context.close()


# --- communities ---------------------------------------------------------------------------------


def cluster(name: str, others: str) -> dict[str, str]:
    """A hub and five notes that link to it and to the next of them, round in a ring."""
    notes = {f"{name}/{name}_hub.md": f"# {name.title()} hub\n\nThe centre of {name}.\n"}
    members = [f"{name.title()} {k}" for k in range(5)]
    for k, title in enumerate(members):
        following = members[(k + 1) % len(members)]
        notes[f"{name}/{name}_{k}.md"] = f"# {title}\n\n[[{name.title()} hub]], [[{following}]].\n"
    notes[f"{name}/{name}_0.md"] += f"\nSee also [[{others}]].\n"
    return notes


@pytest.fixture(scope="module")
def clusters_site(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> Iterator[str]:
    require_chromium()
    root = tmp_path_factory.mktemp("clusters-site")
    write_files(root / "vault", {**cluster("alpha", "Beta 0"), **cluster("beta", "Alpha 0")})
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {
        "site_name": "Clusters",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_config(root / "mkdocs.yml", root / "site", strict=True)
    with serve(built.site_dir) as url:
        yield url


def css_color(tab: Tab, name: str) -> str:
    return tab.page.evaluate(
        "n => getComputedStyle(document.querySelector('.ng-graph')).getPropertyValue(n).trim()",
        name,
    )


def node_colors(tab: Tab, titles: list[str]) -> list[str]:
    return tab.page.evaluate(
        """titles => titles.map(t => {
          const id = window.notegraph.data.nodes.title.indexOf(t);
          return window.notegraph.network.body.nodes[id].options.color.background;
        })""",
        titles,
    )


def test_communities_are_coloured_named_and_found(tab: Tab, clusters_site: str):
    tab.page.goto(clusters_site + "graph/")
    tab.page.wait_for_function("window.notegraph && window.notegraph.ready", timeout=20_000)
    names = tab.page.locator(".ng-graph-key .ng-graph-community-name").all_inner_texts()
    assert sorted(names) == ["Alpha hub", "Beta hub"]
    alpha = ["Alpha hub"] + [f"Alpha {k}" for k in range(5)]
    beta = ["Beta hub"] + [f"Beta {k}" for k in range(5)]
    first, second = (css_color(tab, f"--ng-graph-c{k}") for k in (0, 1))
    colours = {tuple(set(node_colors(tab, group))) for group in (alpha, beta)}
    assert colours == {(first,), (second,)}
    # Dark palette: the same communities take the dark palette's colours.
    light = node_colors(tab, ["Alpha hub"])[0]
    set_scheme(tab, "slate")
    tab.page.wait_for_function(
        """c => {
          const id = window.notegraph.data.nodes.title.indexOf('Alpha hub');
          return window.notegraph.network.body.nodes[id].options.color.background !== c;
        }""",
        arg=light,
    )
    dark = {css_color(tab, f"--ng-graph-c{k}") for k in (0, 1)}
    assert set(node_colors(tab, alpha + beta)) == dark != {first, second}
    # Colour by kind instead: every note takes its kind's colour (the hubs are channels,
    # the most linked of their folders), the key goes.
    tab.page.select_option(".ng-graph-filter[name=color]", "kind")
    assert set(node_colors(tab, alpha[1:] + beta[1:])) == {css_color(tab, "--ng-graph-note")}
    assert set(node_colors(tab, ["Alpha hub", "Beta hub"])) == {
        css_color(tab, "--ng-graph-channel")
    }
    assert tab.page.locator(".ng-graph-key").is_hidden()
    tab.page.select_option(".ng-graph-filter[name=color]", "community")
    # A community of the key: the map shows it whole, and names its hub.
    tab.page.locator(".ng-graph-community", has_text="Beta hub").click()
    tab.page.wait_for_timeout(500)
    canvas = tab.page.locator(".ng-graph-canvas").bounding_box()
    assert canvas is not None
    for title in beta:
        point = node_point(tab, "network", node_id(tab, title))
        assert canvas["x"] < point["x"] < canvas["x"] + canvas["width"]
        assert canvas["y"] < point["y"] < canvas["y"] + canvas["height"]
    assert "Beta hub" in [
        box["text"] for box in tab.page.evaluate("window.notegraphGraph.labels()")
    ]


# --- a denser map: long titles, two rings ----------------------------------------------------

RING = 14  # notes the centre links to; each links to two notes of its own
CENTRE = "Centre-of-the-map"  # one word, wider than the first ring when a second is out


def dense_vault() -> dict[str, str]:
    """A centre, a first ring of long-titled notes and a second ring, two per first-ring note."""
    notes = {"centre.md": f"# {CENTRE}\n\n"}
    for k in range(RING):
        title = f"First ring note {k} with a rather long title"
        notes["centre.md"] += f"[[{title}]]\n"
        outer = [
            f"Second ring note {k}-a about something",
            f"Second ring note {k}-b, whose title is longer than a label",  # 58 > 40 chars
        ]
        notes[f"ring/one_{k}.md"] = f"# {title}\n\n[[{outer[0]}]], [[{outer[1]}]].\n"
        for side, name in zip("ab", outer, strict=True):
            notes[f"ring/two_{k}{side}.md"] = f"# {name}\n\nAn outer note.\n"
    return notes


@pytest.fixture(scope="module")
def dense_site(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> Iterator[str]:
    require_chromium()
    root = tmp_path_factory.mktemp("dense-site")
    write_files(root / "vault", dense_vault())
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = {
        "site_name": "Dense",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = build_config(root / "mkdocs.yml", root / "site", strict=True)
    with serve(built.site_dir) as url:
        yield url


def node_circles(tab: Tab, network: str) -> list[dict[str, Any]]:
    """Every node drawn, as a circle in page coordinates (its id, centre and radius)."""
    return tab.page.evaluate(
        """network => {
          const net = window.notegraph[network];
          const box = net.body.container.getBoundingClientRect();
          const scale = net.getScale();
          return Object.values(net.body.nodes).filter(b => !b.options.hidden).map(b => {
            const p = net.canvasToDOM({x: b.x, y: b.y});
            return {node: b.id, x: box.left + p.x, y: box.top + p.y, r: b.options.size * scale};
          });
        }""",
        network,
    )


def covered_nodes(boxes: list[dict[str, Any]], circles: list[dict[str, Any]]) -> list[str]:
    """Labels that lie over another node's disc: 'label over node id'."""
    found = []
    for box in boxes:
        for c in circles:
            if str(c["node"]) == str(box["node"]):
                continue
            nearest_x = min(max(c["x"], box["x"]), box["x"] + box["width"])
            nearest_y = min(max(c["y"], box["y"]), box["y"] + box["height"])
            if math.hypot(c["x"] - nearest_x, c["y"] - nearest_y) < c["r"] * 0.85:
                found.append(f"{box['text']} over node {c['node']}")
    return found


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_local_graph_two_rings_out_labels_cover_no_node(browser: Any, dense_site: str, phone: bool):
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    tab = offline_page(browser, viewport=size, is_mobile=phone, has_touch=phone)
    open_local(tab, dense_site, "notes/centre/")
    tab.page.click(".ng-local-expand")
    tab.page.wait_for_function(
        f"window.notegraphGraph.localNodes().length > {1 + RING}", timeout=5_000
    )
    tab.page.locator(".ng-local-graph canvas").scroll_into_view_if_needed()
    tab.page.wait_for_timeout(200)
    boxes = tab.page.evaluate("window.notegraphGraph.localLabels()")
    assert len(boxes) >= RING  # most nodes are named
    if not phone:  # the page's title, in full (on a phone the page's heading names it)
        assert [" ".join(box["lines"]) for box in boxes if box["node"] == 0] == [CENTRE]
    assert not overlapping(boxes)
    assert not covered_nodes(boxes, node_circles(tab, "local"))
    canvas = tab.page.locator(".ng-local-graph canvas").bounding_box()
    assert canvas is not None
    for box in boxes:
        assert canvas["x"] <= box["x"] and box["x"] + box["width"] <= canvas["x"] + canvas["width"]
    assert not tab.foreign and not tab.errors
    tab.page.context.close()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_searched_node_is_named_at_every_zoom_and_labels_never_overlap(
    browser: Any, dense_site: str, phone: bool
):
    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    tab = offline_page(browser, viewport=size, is_mobile=phone, has_touch=phone)
    open_graph(tab, dense_site)
    labels = "window.notegraphGraph.labels()"
    total = 1 + 3 * RING
    # Far out, names would pile up: only some are drawn, none over another.
    tab.page.evaluate("window.notegraph.network.moveTo({scale: 0.05})")
    tab.page.wait_for_timeout(100)
    far = tab.page.evaluate(labels)
    assert 1 <= len(far) < total and not overlapping(far)
    title = "Second ring note 7-b, whose title is longer than a label"
    tab.page.fill(".ng-graph-search", "note 7-b")
    tab.page.press(".ng-graph-search", "Enter")
    tab.page.wait_for_timeout(600)  # the animation to the node
    target = node_id(tab, title)
    assert tab.page.evaluate("window.notegraph.focused") == target
    canvas = tab.page.locator(".ng-graph-canvas").bounding_box()
    assert canvas is not None
    for scale in (None, 0.05, 0.3, 1, 3):  # where the search left it, then out and in
        if scale is not None:
            tab.page.evaluate(
                "([id, s]) => window.notegraph.network.focus(id, {scale: s, animation: false})",
                [target, scale],
            )
            tab.page.wait_for_timeout(100)
        found = tab.page.evaluate(labels)
        named = [box for box in found if box["node"] == target]
        assert [box["text"] for box in named] == [title], scale  # in full, once
        assert not overlapping(found), scale
        for box in found:  # and inside the canvas: no label is cut
            assert canvas["x"] <= box["x"] <= canvas["x"] + canvas["width"] - box["width"]
            assert canvas["y"] <= box["y"] <= canvas["y"] + canvas["height"] - box["height"]
    assert not tab.foreign and not tab.errors
    tab.page.context.close()

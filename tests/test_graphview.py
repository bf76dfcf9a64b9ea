"""Unit tables for the graph view data (`notegraph.core.graph.view`) and its layout (`layout`)."""

from __future__ import annotations

import itertools
import json
import warnings
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from notegraph.core.graph import layout as layout_module
from notegraph.core.graph.export import graph_json, graph_json_bytes
from notegraph.core.graph.layout import layout_positions, map_layout
from notegraph.core.graph.view import (
    LOCAL_OUTER_MAX,
    PALETTE,
    GraphView,
    ViewOptions,
    label_size,
    node_kinds,
    node_size,
    view_graph,
)


def note(G: nx.DiGraph, node: str, title: str, folder: str = "", tags=(), **extra) -> None:
    G.add_node(
        node,
        title=title,
        kind=extra.pop("kind", "note"),
        url=f"notes/{node.removesuffix('.md')}/",
        tags=list(tags),
        folder=folder,
        **extra,
    )


@pytest.fixture
def G() -> nx.DiGraph:
    G = nx.DiGraph()
    note(G, "a.md", "Alpha", tags=["x"])
    note(G, "b.md", "Beta <b>", folder="people", tags=["x", "y"])
    note(G, "c.md", "Gamma", folder="people")
    note(G, "show.md", "The show", tags=["channel"])
    note(G, "v.md", "Episode 1", kind="video", video_id="abc123")
    G.add_node("topic:t", title="Topic T", kind="topic", url="topics/t/", tags=[], folder="")
    G.add_edge("a.md", "b.md", count=1)
    G.add_edge("a.md", "topic:t", count=2, moments=[75, 12, 75])
    G.add_edge("v.md", "a.md", count=1, moments=[3])
    G.add_edge("b.md", "c.md", count=1)
    G.add_edge("show.md", "v.md", count=1)
    return G


def index(data: dict, title: str) -> int:
    return data["nodes"]["title"].index(title)


# --- kinds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_links", "tags", "expected"),
    [
        ({"hub": 4, "n1": 1, "n2": 0}, {}, {"hub"}),  # clearly the most linked of its folder
        ({"hub": 4, "n1": 2, "n2": 0}, {}, {"hub"}),  # twice the runner-up is enough
        ({"hub": 4, "n1": 3, "n2": 0}, {}, set()),  # not clearly ahead
        ({"hub": 2, "n1": 0, "n2": 0}, {}, set()),  # too few links to be a hub
        ({"hub": 0, "n1": 0, "n2": 0}, {"n2": ["Channel"]}, {"n2"}),  # tagged
        ({"hub": 0, "n1": 0, "n2": 0}, {"n1": ["media/channel"]}, {"n1"}),  # nested tag
        ({"hub": 0, "n1": 0, "n2": 0}, {"n1": ["channels"]}, set()),  # another word
    ],
)
def test_channel_hubs(in_links: dict[str, int], tags: dict[str, list[str]], expected: set[str]):
    G = nx.DiGraph()
    for name in in_links:
        note(G, name, name, folder="f", tags=tags.get(name, []))
    for name, count in in_links.items():
        for k in range(count):
            note(G, f"src{name}{k}", "s", folder="other")
            G.add_edge(f"src{name}{k}", name)
    kinds = node_kinds(G)
    assert {n for n, k in kinds.items() if k == "channel"} == expected


def test_folder_too_small_has_no_hub():
    G = nx.DiGraph()
    note(G, "a", "A", folder="f")
    note(G, "b", "B", folder="f")
    for k in range(5):
        note(G, f"s{k}", "s", folder="g")
        G.add_edge(f"s{k}", "a")
    assert node_kinds(G)["a"] == "note"


# --- the global data ------------------------------------------------------------------------


def test_global_data_columns(G: nx.DiGraph):
    view = GraphView(G, ViewOptions(), aliases={"b.md": ["Bee", "B."]})
    data = view.data()
    nodes = data["nodes"]
    assert nodes["title"] == ["Alpha", "Beta <b>", "Gamma", "The show", "Topic T", "Episode 1"]
    kinds = [data["kinds"][k] for k in nodes["kind"]]
    assert kinds == ["note", "note", "note", "channel", "topic", "video"]
    assert nodes["url"][index(data, "Gamma")] == "notes/c/"
    assert [data["folders"][f] for f in nodes["folder"]] == ["", "people", "people", "", "", ""]
    assert [[data["tags"][t] for t in tags] for tags in nodes["tags"]][:2] == [["x"], ["x", "y"]]
    assert nodes["aliases"][index(data, "Beta <b>")] == ["B.", "Bee"]
    assert data["video"] == {str(index(data, "Episode 1")): "abc123"}
    pairs = list(zip(data["edges"][::2], data["edges"][1::2], strict=True))
    assert len(pairs) == G.number_of_edges()
    named = {(nodes["title"][a], nodes["title"][b]) for a, b in pairs}
    assert ("Alpha", "Topic T") in named and ("Episode 1", "Alpha") in named
    moments = {pairs[int(e)]: s for e, s in data["moments"].items()}
    assert moments == {
        (index(data, "Alpha"), index(data, "Topic T")): [12, 75],
        (index(data, "Episode 1"), index(data, "Alpha")): [3],
    }
    # Sizes follow the number of links (Alpha: 3, Topic T: 1).
    assert nodes["size"][index(data, "Alpha")] == node_size(3)
    assert nodes["size"][index(data, "Topic T")] == node_size(1) < node_size(3)
    assert nodes["font"][index(data, "Alpha")] == label_size(3)
    assert nodes["links"][index(data, "Alpha")] == 3  # the tooltip's link count
    assert data["options"]["physics"]["enabled"] is False
    assert data["drawEdges"] is True


def test_the_map_holds_still_where_the_layout_put_it(G: nx.DiGraph):
    """Each node is drawn at its build-time position, and vis-network's options (pyvis's) keep
    it there: no physics nor stabilization (the map would drift as it loads), straight edges
    in their own colour, hidden while dragging; pyvis's option editor is not on the page."""
    view = GraphView(G, ViewOptions())
    data = view.data()
    drawn = list(zip(data["nodes"]["x"], data["nodes"]["y"], strict=True))
    assert drawn == [view.map.positions[node] for node in view.ids]
    options = data["options"]
    assert options["physics"]["enabled"] is False
    assert options["physics"]["stabilization"]["enabled"] is False
    assert options["edges"]["smooth"]["enabled"] is False
    assert options["edges"]["color"]["inherit"] is False
    assert options["interaction"]["hideEdgesOnDrag"] is True
    assert "configure" not in options


def test_no_cdn_and_no_template_in_the_data(G: nx.DiGraph):
    text = GraphView(G, ViewOptions()).data_json()
    assert "http" not in text.replace("https://www.youtube.com", "")
    assert "<script" not in text


def test_the_graph_page_data_is_the_views_json_in_utf8(G: nx.DiGraph):
    """`view_graph` writes ``view.json`` in pieces (never one large `str`): the same bytes
    as `GraphView.data_json`, emoji and accents included, however many nodes."""
    for i in range(2500):  # longer than a piece (`jsonbytes.CHUNK`)
        note(G, f"n{i}.md", f"Ñote {i} 😀", folder="ü")
        G.add_edge(f"n{i}.md", "a.md", count=1, moments=[i])
    viewed = view_graph(G, graph_json_bytes(G), {}, ViewOptions(), frozenset())
    assert viewed.data == GraphView(G, ViewOptions()).data_json().encode("utf-8")
    assert "Ñote 7 😀" in json.loads(viewed.data)["nodes"]["title"]
    assert graph_json_bytes(G) == graph_json(G).encode("utf-8")


def test_kinds_option_filters_nodes_and_edges(G: nx.DiGraph):
    data = GraphView(G, ViewOptions(kinds=("note", "channel"))).data()
    assert "Topic T" not in data["nodes"]["title"] and "Episode 1" not in data["nodes"]["title"]
    assert data["kinds"] == ["note", "channel"]
    assert len(data["edges"]) == 2 * 2  # a -> b and b -> c


def test_large_graphs_draw_edges_on_demand(G: nx.DiGraph):
    assert GraphView(G, ViewOptions(max_edges=4)).data()["drawEdges"] is False
    assert GraphView(G, ViewOptions(max_edges=5)).data()["drawEdges"] is True


def clusters(sizes: list[int], seed: int = 1) -> nx.DiGraph:
    """Dense groups of notes, one link between consecutive groups, each group's hub linked by
    all of its members: a vault with communities (``g<k>/...``, the hub is ``g<k>/hub``)."""
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    members: list[list[str]] = []
    for k, size in enumerate(sizes):
        group = [f"g{k}/hub"] + [f"g{k}/n{j:02}" for j in range(size - 1)]
        for node in group:
            note(G, node, node.replace("/", " "), folder=f"g{k}")
        for node in group[1:]:
            G.add_edge(node, group[0])
            for other in rng.choice(group[1:], size=min(2, size - 1), replace=False):
                if other != node:
                    G.add_edge(node, str(other))
        members.append(group)
    chained = [group for group in members if len(group) > 2]  # tiny groups stay apart
    for a, b in itertools.pairwise(chained):  # a chain of single links between groups
        G.add_edge(a[1], b[2])
    return G


def intra_ratio(xy: dict, group: dict) -> float:
    """Mean distance of two nodes of one group over the mean distance of any two."""
    names = sorted(xy)
    points = np.array([xy[name] for name in names], dtype=float)
    labels = np.array([group[name] for name in names])
    d = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    same = labels[:, None] == labels[None, :]
    off = ~np.eye(len(names), dtype=bool)
    return float(d[same & off].mean() / d[off].mean())


def test_layout_finds_communities_and_draws_them_as_regions():
    G = clusters([30, 25, 25, 20, 15])
    drawn = map_layout(G.to_undirected(), None)
    folder = {node: G.nodes[node]["folder"] for node in G}
    # Louvain finds the groups: each group is one community.
    assert len({drawn.community[n] for n in G}) == 5
    assert all(len({drawn.community[n] for n in G if folder[n] == f"g{k}"}) == 1 for k in range(5))
    # Regions: two nodes of a group are much closer than two nodes taken anywhere.
    assert intra_ratio(drawn.positions, folder) < 0.5


def test_layout_puts_hubs_at_the_centre_of_their_community():
    G = clusters([40, 40, 40])
    pos = map_layout(G.to_undirected(), None).positions
    for k in range(3):
        group = [n for n in G if G.nodes[n]["folder"] == f"g{k}"]
        centre = np.mean([pos[n] for n in group], axis=0)
        distance = {n: float(np.hypot(*(np.array(pos[n]) - centre))) for n in group}
        assert distance[f"g{k}/hub"] < np.percentile(list(distance.values()), 25)


def test_view_names_and_colours_communities():
    G = clusters([30, 25, 20, 2])
    data = GraphView(G, ViewOptions()).data()
    titles, community = data["nodes"]["title"], data["nodes"]["community"]
    C = data["communities"]
    # The largest first, each named by its most linked note (its hub).
    assert C["size"] == [30, 25, 20]
    assert [titles[i] for i in C["name"]] == ["g0 hub", "g1 hub", "g2 hub"]
    assert all(community[titles.index(f"g{k} hub")] == k for k in range(3))
    # The group of two is too small for a colour or a name.
    assert community[titles.index("g3 hub")] == -1
    assert C["color"] == [0, 1, 2]  # a colour each, while the palette lasts
    assert data["colorBy"] == "community"
    # Colours chosen in the site's configuration mean the reader asked for kinds or folders.
    assert GraphView(G, ViewOptions(colors={"note": "#123456"})).data()["colorBy"] == "kind"
    assert GraphView(G, ViewOptions(folder_colors={"g0": "#123456"})).data()["colorBy"] == "kind"


def test_communities_beyond_the_palette_share_the_colour_of_a_distant_one():
    G = clusters([12] * (PALETTE + 2))
    data = GraphView(G, ViewOptions()).data()
    C, x, y = data["communities"], data["nodes"]["x"], data["nodes"]["y"]
    assert len(C["size"]) == PALETTE + 2
    assert sorted(C["color"][:PALETTE]) == list(range(PALETTE))

    def centre(k: int) -> np.ndarray:
        members = [i for i, c in enumerate(data["nodes"]["community"]) if c == k]
        return np.mean([(x[i], y[i]) for i in members], axis=0)

    for k in range(PALETTE, PALETTE + 2):
        same = [j for j in range(PALETTE) if C["color"][j] == C["color"][k]]
        others = [j for j in range(PALETTE) if j not in same]
        gap = min(np.hypot(*(centre(k) - centre(j))) for j in same)
        assert gap >= np.median([np.hypot(*(centre(k) - centre(j))) for j in others])


def test_a_hub_linked_from_every_community_names_none():
    G = clusters([20, 20, 20])
    note(G, "channel.md", "The channel")
    for node in list(G):
        if node != "channel.md":
            G.add_edge(node, "channel.md")
    data = GraphView(G, ViewOptions()).data()
    names = [data["nodes"]["title"][i] for i in data["communities"]["name"]]
    assert "The channel" not in names and sorted(names) == ["g0 hub", "g1 hub", "g2 hub"]


def test_page_markdown_links_and_counts(G: nx.DiGraph):
    text = GraphView(G, ViewOptions()).page_markdown()
    assert '<div class="ng-graph"' in text
    assert "3 notes, 1 topic, 1 video, 1 channel and 5 links" in text
    assert "(../az/index.md)" in text


# --- local views ----------------------------------------------------------------------------


def test_local_depth_one_then_two(G: nx.DiGraph):
    view = GraphView(G, ViewOptions(local_depth=1))
    local = view.local("notes/c/")
    assert local is not None
    nodes = local["nodes"]
    assert nodes["title"][0] == "Gamma" and (nodes["x"][0], nodes["y"][0]) == (0, 0)
    by_title = dict(zip(nodes["title"], nodes["depth"], strict=True))
    assert by_title == {"Gamma": 0, "Beta <b>": 1, "Alpha": 2}
    assert local["depth"] == 1
    deeper = GraphView(G, ViewOptions(local_depth=2)).local("notes/c/")
    assert deeper is not None
    assert set(deeper["nodes"]["title"]) == {"Gamma", "Beta <b>", "Alpha", "Topic T", "Episode 1"}


def test_local_unknown_page_has_no_graph(G: nx.DiGraph):
    view = GraphView(G, ViewOptions())
    assert view.local("tags/x/") is None
    assert view.local_html("tags/x/") == ""
    assert GraphView(G, ViewOptions(local=False)).local_html("notes/a/") == ""


def test_local_moments_and_video(G: nx.DiGraph):
    local = GraphView(G, ViewOptions()).local("notes/a/")
    assert local is not None
    titles = local["nodes"]["title"]
    pairs = list(zip(local["edges"][::2], local["edges"][1::2], strict=True))
    moments = {
        (titles[pairs[int(e)][0]], titles[pairs[int(e)][1]]): s for e, s in local["moments"].items()
    }
    assert moments == {("Alpha", "Topic T"): [12, 75], ("Episode 1", "Alpha"): [3]}
    assert local["video"] == {str(titles.index("Episode 1")): "abc123"}


def test_moments_name_the_video_they_play(G: nx.DiGraph):
    """Per edge with moments: the linking note's video (edge attribute `video`), else the
    video node at an end; none when neither is known (the panel shows bare times)."""
    G.edges["a.md", "topic:t"]["video"] = "kiteKITE123"
    G.add_edge("c.md", "a.md", count=1, moments=[5])  # no video known: times only
    view = GraphView(G, ViewOptions())

    def played(data: dict) -> dict[tuple[str, str], str | None]:
        titles = data["nodes"]["title"]
        pairs = list(zip(data["edges"][::2], data["edges"][1::2], strict=True))
        return {
            (titles[pairs[int(e)][0]], titles[pairs[int(e)][1]]): data["momentVideo"].get(e)
            for e in data["moments"]
        }

    expected = {
        ("Alpha", "Topic T"): "kiteKITE123",
        ("Episode 1", "Alpha"): "abc123",
        ("Gamma", "Alpha"): None,
    }
    assert played(view.data()) == expected
    local = view.local("notes/a/")
    assert local is not None
    assert played(local) == expected


def test_local_caps_hubs():
    G = nx.DiGraph()
    note(G, "hub.md", "Hub")
    for k in range(100):
        note(G, f"n{k:03}.md", f"N{k:03}")
        G.add_edge(f"n{k:03}.md", "hub.md")
        note(G, f"m{k:03}.md", f"M{k:03}")
        G.add_edge(f"m{k:03}.md", f"n{k:03}.md")
    G.add_edge("n050.md", "n051.md")  # n050 and n051 have one link more: they rank first
    view = GraphView(G, ViewOptions(local_max_nodes=10))
    local = view.local("notes/hub/")
    assert local is not None
    depths = local["nodes"]["depth"]
    assert depths.count(1) == 10 and depths.count(2) == 10
    assert local["hidden"] == [90, 0]  # the "more not shown" count
    assert {"N050", "N051"} <= set(local["nodes"]["title"])
    assert len(local["edges"]) // 2 <= 4 * len(depths)
    local_page = view.local_page("notes/hub/")
    assert local_page is not None and len(local_page[2]) < 8_000


def test_local_second_ring_holds_only_nodes_two_links_away():
    """Next to a hub the first ring has no room for every neighbour: those left out are one
    link away, so they are neither drawn in the second ring nor counted again in its "more"."""
    G = nx.DiGraph()
    note(G, "hub.md", "Hub")
    for k in range(30):
        note(G, f"n{k:02}.md", f"N{k:02}")
        G.add_edge(f"n{k:02}.md", "hub.md")
        G.add_edge(f"n{k:02}.md", f"n{(k + 1) % 30:02}.md")  # neighbours link each other
        note(G, f"m{k:02}.md", f"M{k:02}")
        G.add_edge(f"m{k:02}.md", f"n{k:02}.md")
    local = GraphView(G, ViewOptions(local_max_nodes=10)).local("notes/hub/")
    assert local is not None
    nodes = local["nodes"]
    outer = [t for t, d in zip(nodes["title"], nodes["depth"], strict=True) if d == 2]
    assert outer and all(title.startswith("M") for title in outer)
    assert local["hidden"] == [20, 0]


def test_local_second_ring_is_capped_by_importance():
    """Two links away from a page next to a hub lies the whole vault: the outer ring keeps
    the `LOCAL_OUTER_MAX` nodes with the most links into the first ring, and counts the rest."""
    G = nx.DiGraph()
    note(G, "page.md", "Page")
    note(G, "hub.md", "Hub")
    G.add_edge("page.md", "hub.md")
    for k in range(3):
        note(G, f"near{k}.md", f"Near {k}")
        G.add_edge("page.md", f"near{k}.md")
    for k in range(100):  # linked to the hub only
        note(G, f"far{k:03}.md", f"Far {k:03}")
        G.add_edge(f"far{k:03}.md", "hub.md")
    for k in range(5):  # linked to the hub and to two near nodes: they matter more
        note(G, f"close{k}.md", f"Close {k}")
        for target in ("hub.md", "near0.md", "near1.md"):
            G.add_edge(f"close{k}.md", target)
    local = GraphView(G, ViewOptions(local_max_nodes=60)).local("notes/page/")
    assert local is not None
    by_depth: dict[int, list[str]] = {}
    for title, depth in zip(local["nodes"]["title"], local["nodes"]["depth"], strict=True):
        by_depth.setdefault(depth, []).append(title)
    assert len(by_depth[2]) == LOCAL_OUTER_MAX
    assert {f"Close {k}" for k in range(5)} <= set(by_depth[2])
    assert local["hidden"] == [0, 105 - LOCAL_OUTER_MAX]


def test_local_first_ring_keeps_communities_together():
    """Around a page linked into three communities, each community's nodes are neighbours
    on the ring (in circular order, the ring changes community only three times)."""
    G = clusters([12, 12, 12])
    note(G, "page.md", "Page")
    for k in range(3):
        for j in range(4):
            G.add_edge("page.md", f"g{k}/n{j:02}")
    local = GraphView(G, ViewOptions()).local("notes/page/")
    assert local is not None
    nodes = local["nodes"]
    ring = [k for k, d in enumerate(nodes["depth"]) if d == 1]
    ring.sort(key=lambda k: np.arctan2(nodes["y"][k], nodes["x"][k]))
    groups = [nodes["title"][k].split()[0] for k in ring]
    changes = sum(a != b for a, b in zip(groups, groups[1:] + groups[:1], strict=True))
    assert len(ring) == 12 and changes == 3
    # Every ring node has its community's colour and name, for the tooltip.
    named = {local["groups"]["name"][g] for g in nodes["group"][1:]}
    assert named == {"g0 hub", "g1 hub", "g2 hub"}


def test_local_graph_data_is_a_file_of_its_own_with_every_title_as_written():
    G = nx.DiGraph()
    note(G, "a.md", 'A "quoted" <script>alert(1)</script> & co')
    note(G, "b.md", "B ' single")
    G.add_edge("a.md", "b.md")
    local_page = GraphView(G, ViewOptions()).local_page("notes/a/")
    assert local_page is not None
    section, path, payload = local_page
    assert "quoted" not in section and "single" not in section  # the page holds no data
    assert "hidden" in section.split(">")[0]
    assert 'data-ng-local-src="graph/local/notes/a.json"' in section
    assert path == "graph/local/notes/a.json"
    data = json.loads(payload)
    assert data["nodes"]["title"] == ['A "quoted" <script>alert(1)</script> & co', "B ' single"]


# --- layout ---------------------------------------------------------------------------------


def test_same_graph_same_bytes(G: nx.DiGraph):
    first = GraphView(G, ViewOptions()).data_json()
    assert GraphView(G.copy(), ViewOptions()).data_json() == first
    H = nx.DiGraph()  # same graph, built in another order
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    assert GraphView(H, ViewOptions()).data_json() == first


def test_layout_positions_are_integers_and_spread():
    G = nx.random_regular_graph(4, 200, seed=3)
    pos = layout_positions(G, None)
    xy = np.array(list(pos.values()))
    assert all(isinstance(v, int) for p in pos.values() for v in p)
    assert len({tuple(p) for p in xy}) > 190  # nodes do not collapse onto each other
    # Linked nodes end up closer than random pairs.
    edges = np.array([np.hypot(*np.subtract(pos[a], pos[b])) for a, b in G.edges()])
    rng = np.random.default_rng(0)
    pairs = rng.integers(0, 200, size=(500, 2))
    random_pairs = np.hypot(*(xy[pairs[:, 0]] - xy[pairs[:, 1]]).T)
    assert np.median(edges) < 0.7 * np.median(random_pairs)


def test_layout_cache_is_reused_as_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    G = nx.karate_club_graph()
    cache = tmp_path / "cache" / "layout.json"
    first = layout_positions(G, cache)
    assert cache.is_file()

    def fail(*args, **kwargs):
        raise AssertionError("an unchanged graph must not be laid out again")

    monkeypatch.setattr(layout_module, "force_layout", fail)
    assert layout_positions(G, cache) == first


def test_layout_cache_keeps_communities_and_new_nodes_join_their_neighbours(tmp_path: Path):
    G = clusters([20, 20, 20]).to_undirected()
    cache = tmp_path / "layout.json"
    before = map_layout(G, cache)
    H = G.copy()
    H.add_edges_from([("new", "g1/n00"), ("new", "g1/n01"), ("new", "g0/n00")])
    after = map_layout(H, cache)
    assert all(after.community[n] == before.community[n] for n in G)  # no region recoloured
    assert after.community["new"] == before.community["g1/n00"]  # most of its links


def test_layout_cache_seeds_a_changed_graph(tmp_path: Path):
    G = nx.karate_club_graph()
    cache = tmp_path / "layout.json"
    before = layout_positions(G, cache)
    H = G.copy()
    H.add_edge(0, "new")
    after = layout_positions(H, cache)
    fresh = layout_positions(H, None)
    xy = np.array([before[n] for n in G])
    extent = float(np.ptp(xy, axis=0).max())
    moved = np.array([np.hypot(*np.subtract(after[n], before[n])) for n in G])
    redone = np.array([np.hypot(*np.subtract(fresh[n], before[n])) for n in G])
    assert moved.max() < 0.1 * extent  # a small change moves little...
    assert moved.mean() < redone.mean() / 3  # ...much less than a layout from scratch


def test_cache_of_another_vault_is_ignored(tmp_path: Path):
    """A cache that knows few of the nodes (the vault moved, or another one sits there) would
    freeze them where another map had them: the layout starts afresh instead."""
    cache = tmp_path / "layout.json"
    other = clusters([20, 20]).to_undirected()
    map_layout(other, cache)
    G = nx.relabel_nodes(clusters([15, 15, 15], seed=2).to_undirected(), lambda n: f"x/{n}")
    G.add_edge("g0/hub", "x/g0/hub")  # one node in common
    assert map_layout(G, cache) == map_layout(G, None)


def test_cache_from_other_parameters_is_ignored(tmp_path: Path):
    G = nx.path_graph(5)
    cache = tmp_path / "layout.json"
    cache.write_text(json.dumps({"parameters": [0], "positions": {"0": [1, 1]}}))
    assert layout_positions(G, cache) == layout_positions(G, None)
    cache.write_text("not json")
    assert layout_positions(G, cache) == layout_positions(G, None)


def test_an_unchanged_graph_page_is_taken_from_the_cache(
    G: nx.DiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The graph page's data (40 MB on a large vault) is made again only when the view
    it draws changed; a damaged cache is made again."""
    options = ViewOptions(cache_file=tmp_path / "layout.json")
    first = view_graph(G, graph_json_bytes(G), {}, options, frozenset())
    assert first.data and (tmp_path / "layout.json.page").is_file()

    def not_again(self: GraphView) -> bytes:
        raise AssertionError("made again")

    monkeypatch.setattr(GraphView, "data_bytes", not_again)
    again = view_graph(G, graph_json_bytes(G), {}, options, frozenset())
    assert (again.page, again.data, again.identity) == (first.page, first.data, first.identity)
    monkeypatch.undo()
    G.add_edge("c.md", "a.md", count=1)
    changed = view_graph(G, graph_json_bytes(G), {}, options, frozenset())
    assert changed.identity != first.identity
    assert changed.data == GraphView(G, options).data_bytes() != first.data
    (tmp_path / "layout.json.page").write_bytes(b"\xff\x00damaged")
    assert view_graph(G, graph_json_bytes(G), {}, options, frozenset()).data == changed.data


def test_community_labels_with_gaps_lay_out_without_a_warning() -> None:
    """Community labels need not be consecutive (a community may lose all its nodes): the
    layout stays finite and prints no numpy RuntimeWarning into the build's output."""
    start = np.random.default_rng(1).random((4, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        X = layout_module.force_layout(
            4, np.array([[0, 1], [2, 3]]), start, 5, 0.5, community=np.array([0, 0, 2, 2])
        )
    assert np.isfinite(X).all()
    assert np.hypot(*(X[0] - X[1])) < np.hypot(*(X[0] - X[2]))  # each pair kept together

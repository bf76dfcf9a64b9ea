"""Unit tables for the graph view data (`notegraph.graphview`) and its layout (`layout`)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from notegraph import layout as layout_module
from notegraph.graphview import GraphView, ViewOptions, label_size, node_kinds, node_size
from notegraph.layout import layout_positions


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
    assert data["options"]["physics"]["enabled"] is False
    assert data["drawEdges"] is True


def test_no_cdn_and_no_template_in_the_data(G: nx.DiGraph):
    text = GraphView(G, ViewOptions()).data_json()
    assert "http" not in text.replace("https://www.youtube.com", "")
    assert "<script" not in text


def test_kinds_option_filters_nodes_and_edges(G: nx.DiGraph):
    data = GraphView(G, ViewOptions(kinds=("note", "channel"))).data()
    assert "Topic T" not in data["nodes"]["title"] and "Episode 1" not in data["nodes"]["title"]
    assert data["kinds"] == ["note", "channel"]
    assert len(data["edges"]) == 2 * 2  # a -> b and b -> c


def test_large_graphs_draw_edges_on_demand(G: nx.DiGraph):
    assert GraphView(G, ViewOptions(max_edges=4)).data()["drawEdges"] is False
    assert GraphView(G, ViewOptions(max_edges=5)).data()["drawEdges"] is True


def test_labels_start_with_the_most_linked(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("notegraph.graphview.LABELS", 2)
    G = nx.star_graph(5, create_using=nx.DiGraph)
    nx.set_node_attributes(G, {n: f"n{n}" for n in G}, "title")
    G.add_edge(1, 2)
    data = GraphView(G, ViewOptions()).data()
    assert [data["nodes"]["title"][i] for i in data["labelled"]] == ["n0", "n1"]


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
    assert local["hidden"] == [90, 0]
    assert {"N050", "N051"} <= set(local["nodes"]["title"])
    assert len(local["edges"]) // 2 <= 4 * len(depths)
    local_page = view.local_page("notes/hub/")
    assert local_page is not None and len(local_page[2]) < 8_000


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


def test_cache_from_other_parameters_is_ignored(tmp_path: Path):
    G = nx.path_graph(5)
    cache = tmp_path / "layout.json"
    cache.write_text(json.dumps({"parameters": [0], "positions": {"0": [1, 1]}}))
    assert layout_positions(G, cache) == layout_positions(G, None)
    cache.write_text("not json")
    assert layout_positions(G, cache) == layout_positions(G, None)

"""The interactive concept graph: data for the global graph page and the local graphs.

Everything here is pure: a NetworkX graph in, JSON and Markdown/HTML strings out. The browser
side (``assets/notegraph/graph.js``) draws them with the vendored vis-network.

Kinds. A node's ``kind`` attribute says note, topic or video. A note is drawn as a **channel**
hub when one of its tags is ``channel`` (or ends in ``/channel``), or when it is clearly the
most linked-to note of its folder: at least `HUB_MIN_IN` incoming links and at least twice
as many as any other note of that folder, in a folder of at least `HUB_MIN_NOTES` notes.
That rule needs no configuration and works for any vault: a podcast's channel note, a
project's index note.

Size. A node's size and its label's size grow with the log of its degree, so that a hub with
thousands of links stays a hub without dwarfing everything else.

Communities. The layout (`layout.map_layout`) finds the graph's communities and draws each as
a region. The view names each community after its most linked note (counting links inside
it; a note most of whose links leave it, such as a channel hub, names none), and gives it
one of `PALETTE` colours: the largest communities get one each, and a smaller one shares the
colour of the communities farthest from it on the map. Communities of fewer than
`MIN_COMMUNITY` nodes have no colour and no name. The page colours by community unless the
site configured colours per kind or per folder (then by kind); the reader can switch.

The global graph (page ``graph/``, data ``graph/view.json``). The nodes go in columns
(titles, kinds, positions, communities...) and the edges in a flat list, so that 20,000 nodes
and 200,000 edges fit in a few megabytes; pyvis builds the vis-network options
(`pyvis_options`). Positions come from `layout` at build time; the browser runs no physics.
What is drawn is bounded so that 20,000 nodes and 200,000 edges render in about two seconds
and pan smoothly:

- above `ViewOptions.max_edges` edges, no edge is drawn until a node is hovered, searched
  or selected (then only that node's, at most `HOVER_EDGES`);
- the script draws the labels itself, at a size fixed on screen (`label_size`), and at every
  zoom level only those that fit without overlapping, the most important first: the node
  searched or pointed at (in full), its neighbours, the name of each community, then the
  most linked.

Local graphs. Every page with a node gets the neighbourhood of that node in a small JSON
file of its own (`local_path`), which the page names in a ``data-ng-local-src`` attribute;
the browser fetches it, and vis-network, only when the reader scrolls near the local graph,
so that a page nobody scrolls down costs neither: depth `ViewOptions.local_depth`
shown, one more ring behind a button. The first ring keeps at most
`ViewOptions.local_max_nodes` nodes and each further ring at most `LOCAL_OUTER_MAX`, the most
linked first (the data says how many were left out), so a hub's page stays small and a
second ring stays readable. A ring is ordered by community, each community's nodes together
and the communities in the angular order the global map gives them; the script fits the
rings and their labels to the space it has.

>>> G = nx.DiGraph()
>>> G.add_node("a.md", title="A", kind="note", url="notes/a/", tags=["x"], folder="")
>>> G.add_node("topic:b", title="B", kind="topic", url="topics/b/", tags=[], folder="")
>>> G.add_edge("a.md", "topic:b", count=2, moments=[75])
>>> view = GraphView(G, ViewOptions())
>>> data = view.data()
>>> data["nodes"]["title"], data["nodes"]["kind"], data["edges"]
(['A', 'B'], [0, 1], [0, 1])
>>> view.local("topics/b/")["nodes"]["title"]
['B', 'A']
"""

from __future__ import annotations

import dataclasses
import hashlib
import heapq
import html
import itertools
import json
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import networkx as nx

from notegraph.core.base.jsonbytes import json_bytes
from notegraph.core.base.memo import Memo, fingerprint
from notegraph.core.base.report import plural
from notegraph.core.base.urls import page_data_path
from notegraph.core.graph.layout import MapLayout, layout_of
from notegraph.core.vault.notestore import code_digest

__all__ = [
    "KINDS",
    "GRAPH_PAGE",
    "GRAPH_DATA",
    "LOCAL_DIR",
    "local_path",
    "ViewOptions",
    "GraphView",
    "node_kinds",
    "node_size",
    "label_size",
    "Communities",
    "pyvis_options",
    "aliases_of",
    "view_graph",
    "ViewedGraph",
]

KINDS = ("note", "topic", "video", "channel")
"""Node kinds the view knows, in legend order."""
GRAPH_PAGE = "graph/index.md"
GRAPH_DATA = "graph/view.json"
LOCAL_DIR = "graph/local"
"""Where the data of each page's local graph goes (`local_path`)."""
HUB_MIN_IN = 3
HUB_MIN_NOTES = 3
LABEL_CHARS = 40
"""Labels are cut after this many characters (the whole title shows on hover and focus); the
local graph cuts them further to fit its width."""
LOCAL_MAX_EDGES_PER_NODE = 4
LOCAL_OUTER_MAX = 24
"""Most nodes of a local graph's rings beyond the first (two links away and more)."""
LOCAL_POOL = 3
"""A ring next to a hub counts the links of only this many times its size of candidates."""
HOVER_EDGES = 400
"""Most edges the browser adds when a node is hovered in a graph drawn without edges."""
EVERYWHERE = 0.1
"""A node linked with more than this share of the nodes (and more than `EVERYWHERE_MIN`),
such as a channel's hub, says little about the structure: its links are drawn faint."""
EVERYWHERE_MIN = 50
PALETTE = 10
"""Community colours (``--ng-graph-c0`` ... in graph.css, per palette)."""
MIN_COMMUNITY = 3
"""Communities smaller than this get no colour and no name."""


@dataclass(frozen=True)
class ViewOptions:
    """What the graph view shows; the plugin fills it from its configuration."""

    page: bool = True
    local: bool = True
    local_depth: int = 1
    local_max_nodes: int = 60
    kinds: tuple[str, ...] = KINDS
    colors: Mapping[str, str] = field(default_factory=dict)
    folder_colors: Mapping[str, str] = field(default_factory=dict)
    max_edges: int = 20_000
    cache_file: Path | None = None


def node_kinds(G: nx.DiGraph) -> dict[Hashable, str]:
    """Kind of every node: its ``kind`` attribute, with channel hubs told apart (see above).

    >>> G = nx.DiGraph()
    >>> for name in "abcde":
    ...     G.add_node(name, kind="note", folder="f", tags=[])
    >>> G.add_edges_from([("b", "a"), ("c", "a"), ("d", "a"), ("e", "a"), ("e", "b")])
    >>> G.add_node("z", kind="note", folder="g", tags=["podcast/channel"])
    >>> sorted(k for k, v in node_kinds(G).items() if v == "channel")
    ['a', 'z']
    """
    kinds = {node: str(attrs.get("kind") or "note") for node, attrs in G.nodes(data=True)}
    by_folder: dict[str, list[Hashable]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        if kinds[node] != "note":
            continue
        tags = attrs.get("tags") or []
        if any(str(tag).casefold().rsplit("/", 1)[-1] == "channel" for tag in tags):
            kinds[node] = "channel"
        by_folder[str(attrs.get("folder") or "")].append(node)
    for members in by_folder.values():
        if len(members) < HUB_MIN_NOTES:
            continue
        ranked = sorted((G.in_degree(node) for node in members), reverse=True)
        top = ranked[0]
        if top >= max(HUB_MIN_IN, 2 * ranked[1]):
            hub = next(node for node in members if G.in_degree(node) == top)
            kinds[hub] = "channel"
    return kinds


def node_size(degree: int) -> int:
    """Radius, in layout units, of a node with this many links.

    >>> [node_size(d) for d in (0, 1, 10, 100, 5000)]
    [6, 9, 16, 26, 43]
    """
    return round(6 + 3 * math.log2(1 + degree))


def label_size(degree: int) -> int:
    """Font size, in px on screen at any zoom, of the label of a node with this many links.

    >>> [label_size(d) for d in (0, 1, 10, 100, 5000)]
    [12, 13, 15, 17, 18]
    """
    return min(18, round(12 + 0.8 * math.log2(1 + degree)))


@dataclass(frozen=True)
class Communities:
    """The communities of the view, the largest first, and each node's."""

    of: list[int]
    """Community of each node (an index into the lists below), or -1 for none (too small)."""
    size: list[int]
    name: list[int]
    """The node that names each community: the one with the most links inside it."""
    color: list[int]
    """Colour of each community, ``0 <= color < PALETTE``."""


def _community_names(
    members: list[list[int]], label: Sequence[int], neighbours: Sequence[set[int]], rank: list[int]
) -> list[int]:
    """The most linked node inside each community, among those that keep most of their links
    inside it (a hub linked from every community names none), ties to the higher ranked."""
    names = []
    for nodes in members:
        inside = {i: sum(label[j] == label[i] for j in neighbours[i]) for i in nodes}
        loyal = [i for i in nodes if 2 * inside[i] >= len(neighbours[i])] or nodes
        names.append(min(loyal, key=lambda i: (-inside[i], rank[i])))
    return names


def _community_colors(
    raw: list[int], members: list[list[int]], positions: Sequence[tuple[int, int]]
) -> list[int]:
    """A colour per community, given in the order of the layout's labels `raw` (stable under
    small edits; the largest first when the communities were found): the first `PALETTE`
    get a colour each, every further one the colour whose nearest holder is farthest away
    on the map (in sums of the two communities' radii)."""
    centres, radii = [], []
    for nodes in members:
        xs = [positions[i][0] for i in nodes]
        ys = [positions[i][1] for i in nodes]
        cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in zip(xs, ys, strict=True))
        centres.append((cx, cy))
        radii.append(math.sqrt(spread / len(xs)))
    color = [-1] * len(members)
    for place, k in enumerate(sorted(range(len(members)), key=raw.__getitem__)):
        if place < PALETTE:
            color[k] = place
            continue
        nearest = [math.inf] * PALETTE
        for j, c in enumerate(color):
            if c >= 0:
                gap = math.dist(centres[k], centres[j]) / max(radii[k] + radii[j], 1e-9)
                nearest[c] = min(nearest[c], gap)
        color[k] = max(range(PALETTE), key=lambda c: (nearest[c], -c))
    return color


def pyvis_options() -> dict[str, Any]:
    """The vis-network options pyvis builds for a map drawn from positions fixed at build time:
    no physics and no stabilization (nothing moves), straight edges in their own colour,
    hidden while the map is dragged; without pyvis's option editor (``configure``).

    Only the options come from pyvis, read with `Network.get_network_data` as its own template
    reads them. The nodes and edges the page draws are our columns: pyvis's records of them
    would only repeat what we give it (``id``, ``group``, ``x``, ``y``, ``size``), and its
    ``add_node``/``add_edge`` look each id up in a list, so that building them costs time
    quadratic in the size of the graph (BENCHMARKS.md, "pyvis in the graph view").
    """
    from pyvis.network import Network

    net = Network(cdn_resources="local")
    net.toggle_physics(False)
    net.toggle_stabilization(False)
    net.toggle_hide_edges_on_drag(True)
    net.inherit_edge_colors(False)
    net.options.edges.smooth.enabled = False  # pyvis's `set_edge_smooth` only turns it on
    options: dict[str, Any] = json.loads(net.get_network_data()[-1])
    options.pop("configure", None)
    return options


def _options(large: bool) -> dict[str, Any]:
    """vis-network options: pyvis's (`pyvis_options`), plus what our script needs, which
    pyvis has no setting for (hover, our own tooltips, node style, arrows)."""
    options = pyvis_options()
    options["layout"] = {"improvedLayout": False, "randomSeed": 0}
    options["interaction"].update(
        hover=True,
        hoverConnectedEdges=not large,
        tooltipDelay=3_600_000,  # our own tooltip (text only) replaces vis-network's
        hideEdgesOnZoom=large,
        keyboard=False,
        zoomSpeed=0.6,
    )
    options["nodes"] = {
        "shape": "dot",
        "borderWidth": 1,
        "scaling": {"label": {"drawThreshold": 6, "maxVisible": 26}},
        "font": {"size": 12, "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
    }
    options["edges"].update(
        width=0.6,
        selectionWidth=1.5,
        hoverWidth=0.8,
        arrows={"to": {"enabled": True, "scaleFactor": 0.35}},
    )
    return options


class GraphView:
    """The graph as the browser draws it: one global view and a local view per node."""

    def __init__(
        self,
        G: nx.DiGraph,
        options: ViewOptions,
        aliases: Mapping[Hashable, Sequence[str]] | None = None,
    ) -> None:
        self.options = options
        kinds = node_kinds(G)
        shown = [node for node in G if kinds[node] in options.kinds]
        self.ids: list[Hashable] = sorted(shown, key=str)
        self.index = {node: i for i, node in enumerate(self.ids)}
        # G itself when every node is shown: walking a subgraph view filters every node
        self.H: nx.DiGraph = G if len(shown) == len(G) else G.subgraph(self.ids)
        self.kinds = [kinds[node] for node in self.ids]
        self.attrs = [G.nodes[node] for node in self.ids]
        self.aliases = aliases or {}
        self.edges = sorted((self.index[u], self.index[v]) for u, v in self.H.edges() if u != v)
        self.neighbours: list[set[int]] = [set() for _ in self.ids]
        self.targets: list[set[int]] = [set() for _ in self.ids]
        """Targets of each node's edges."""
        for u, v in self.edges:
            self.neighbours[u].add(v)
            self.neighbours[v].add(u)
            self.targets[u].add(v)
        self.degree = [len(n) for n in self.neighbours]
        self.titles = [str(a.get("title") or n) for a, n in zip(self.attrs, self.ids, strict=True)]
        self.urls = [str(a.get("url") or "") for a in self.attrs]
        self.folders = [str(a.get("folder") or "") for a in self.attrs]
        by_weight = sorted(range(len(self.ids)), key=lambda i: (-self.degree[i], self.titles[i], i))
        self.rank = [0] * len(self.ids)
        """Place of each node when the most linked come first (ties: by title)."""
        for place, i in enumerate(by_weight):
            self.rank[i] = place
        self.by_rank = [sorted(around, key=self.rank.__getitem__) for around in self.neighbours]
        """Each node's neighbours, the most linked first."""
        self.moments: dict[tuple[int, int], list[int]] = {}
        """Seconds of the timestamped sentences each edge's links sit in, where there are any."""
        self.moment_video: dict[tuple[int, int], str] = {}
        """The YouTube video those moments play: the edge's ``video`` (the linking note's),
        else that of a video node at either end."""
        for edge in self.edges:  # keyed by the edge's own tuple, not a copy of it
            u, v = edge
            attrs = self.H.edges[self.ids[u], self.ids[v]]
            found = attrs.get("moments") or []
            seconds = sorted({int(t) for t in found if isinstance(t, int | float) and t >= 0})
            if seconds:
                # the graph's own list when it is already this (`export` makes it so)
                same = isinstance(found, list) and all(type(t) is int for t in found)
                self.moments[edge] = found if same and found == seconds else seconds
                video = attrs.get("video") or self.attrs[u].get("video_id")
                video = video or self.attrs[v].get("video_id")
                if video:
                    self.moment_video[edge] = str(video)
        self.by_url = {str(a.get("url")): i for i, a in enumerate(self.attrs) if a.get("url")}
        self._map: MapLayout | None = None
        self._communities: Communities | None = None

    # --- shared ---------------------------------------------------------------------------

    @property
    def map(self) -> MapLayout:
        """Global layout, computed once (and cached on disk when the options say where)."""
        if self._map is None:
            pairs = sorted({(min(u, v), max(u, v)) for u, v in self.edges})
            self._map = layout_of(self.ids, pairs, self.options.cache_file)
        return self._map

    @cached_property
    def positions(self) -> list[tuple[int, int]]:
        """Each node's place on the map, by index (made once: every local graph reads it)."""
        return [self.map.positions[node] for node in self.ids]

    @cached_property
    def community_labels(self) -> list[int]:
        """Each node's community in the layout, by index (all of them, however small)."""
        return [self.map.community[node] for node in self.ids]

    @property
    def communities(self) -> Communities:
        """The layout's communities of at least `MIN_COMMUNITY` nodes, named and coloured."""
        if self._communities is None:
            label = self.community_labels
            groups: dict[int, list[int]] = defaultdict(list)
            for i, raw in enumerate(label):
                groups[raw].append(i)
            kept = sorted(
                (raw for raw, nodes in groups.items() if len(nodes) >= MIN_COMMUNITY),
                key=lambda raw: (-len(groups[raw]), raw),
            )
            members = [groups[raw] for raw in kept]
            of = [-1] * len(self.ids)
            for k, nodes in enumerate(members):
                for i in nodes:
                    of[i] = k
            self._communities = Communities(
                of=of,
                size=[len(nodes) for nodes in members],
                name=_community_names(members, label, self.neighbours, self.rank),
                color=_community_colors(kept, members, self.positions),
            )
        return self._communities

    def _video(self, members: Iterable[int]) -> dict[str, str]:
        videos = {}
        for i in members:
            video = self.attrs[i].get("video_id")
            if video:
                videos[str(i)] = str(video)
        return videos

    def _common(self) -> dict[str, Any]:
        configured = self.options.colors or self.options.folder_colors
        many = len(self.communities.size) >= 2
        return {
            "kinds": [k for k in KINDS if k in self.options.kinds],
            "colors": dict(sorted(self.options.colors.items())),
            "folderColors": dict(sorted(self.options.folder_colors.items())),
            "colorBy": "community" if many and not configured else "kind",
            "faintAbove": max(EVERYWHERE_MIN, math.floor(EVERYWHERE * len(self.ids))),
        }

    # --- global view ----------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        """Everything the global graph page draws, as one JSON-ready dict (columns)."""
        positions = self.positions
        links = self.edges
        large = len(links) > self.options.max_edges
        folders = sorted({str(a.get("folder") or "") for a in self.attrs})
        tags = sorted({str(t) for a in self.attrs for t in a.get("tags") or []})
        folder_index = {f: i for i, f in enumerate(folders)}
        tag_index = {t: i for i, t in enumerate(tags)}
        kind_index = {k: i for i, k in enumerate(self._common()["kinds"])}
        groups = self.communities
        moments, played = {}, {}
        for e, (u, v) in enumerate(links):
            if (u, v) in self.moments:
                moments[str(e)] = self.moments[(u, v)]
                if (u, v) in self.moment_video:
                    played[str(e)] = self.moment_video[(u, v)]
        return {
            "version": 1,
            **self._common(),
            "folders": folders,
            "tags": tags,
            "nodes": {
                "title": self.titles,
                "kind": [kind_index[kind] for kind in self.kinds],
                "x": [x for x, _ in positions],
                "y": [y for _, y in positions],
                "size": [node_size(d) for d in self.degree],
                "font": [label_size(d) for d in self.degree],
                "url": self.urls,
                "folder": [folder_index[str(a.get("folder") or "")] for a in self.attrs],
                "tags": [
                    sorted({tag_index[str(t)] for t in a.get("tags") or []}) for a in self.attrs
                ],
                "aliases": [sorted(str(s) for s in self.aliases.get(n, ())) for n in self.ids],
                "links": self.degree,
                "community": groups.of,
            },
            "communities": {"size": groups.size, "name": groups.name, "color": groups.color},
            "video": self._video(range(len(self.ids))),
            "labelChars": LABEL_CHARS,
            "edges": [i for link in links for i in link],
            "moments": moments,
            "momentVideo": played,
            "drawEdges": not large,
            "hoverEdges": HOVER_EDGES,
            "options": _options(large),
        }

    def data_json(self) -> str:
        return json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def data_bytes(self) -> bytes:
        """`data_json` in UTF-8, never whole as a `str` (`jsonbytes`): the site's file."""
        return json_bytes(self.data(), separators=(",", ":"))

    def page_markdown(self) -> str:
        """The graph page: a container the script fills, and a fallback without JavaScript.

        The script finds the data at `GRAPH_DATA` (the page's HTML is sanitized, which drops
        ``data-`` attributes, so the container carries only its class).
        """
        counts = Counter(self.kinds)
        parts = [plural(counts[k], k) for k in KINDS if counts[k]]
        summary = ", ".join(parts) or "no nodes"
        return (
            "---\n"
            'title: "Graph"\n'
            'hide: ["navigation", "toc"]\n'
            "---\n\n"
            "# Graph\n\n"
            '<div class="ng-graph" markdown="1">\n\n'
            f"The map of the vault: {summary} and {plural(len(self.edges), 'link')}. "
            "It needs JavaScript; without it, the [A–Z index](../az/index.md) lists every "
            "page.\n{ .ng-graph-fallback }\n\n"
            "</div>\n"
        )

    # --- local views ----------------------------------------------------------------------

    def _ring(
        self, frontier: list[int], kept: set[int], limit: int
    ) -> tuple[list[int], int, set[int]]:
        """The next ring: the `limit` neighbours of `frontier` (not in `kept`) with the most
        links into it, then the most linked overall; how many neighbours it leaves out; and
        all those neighbours (the ring and the rest).

        Set operations keep this cheap next to hubs of thousands of links: only the
        `LOCAL_POOL` times `limit` best-ranked neighbours have their links counted.
        """
        candidates = set().union(*(self.neighbours[i] for i in frontier)) - kept
        pool: Iterable[int] = candidates
        if len(candidates) > LOCAL_POOL * limit:  # the best ranked, read off sorted lists
            merged = heapq.merge(*(self.by_rank[i] for i in frontier), key=self.rank.__getitem__)
            pool = itertools.islice(_unique(merged, kept), LOCAL_POOL * limit)
        inside = set(frontier)
        links = {j: len(self.neighbours[j] & inside) for j in pool}
        ring = heapq.nsmallest(limit, links, key=lambda j: (-links[j], self.rank[j]))
        return ring, len(candidates) - len(ring), candidates

    def local(self, url: str) -> dict[str, Any] | None:
        """Neighbourhood of the node whose page has this site-relative URL, or None."""
        center = self.by_url.get(url)
        if center is None:
            return None
        cap = max(1, self.options.local_max_nodes)
        depth = max(1, self.options.local_depth)
        rings: list[list[int]] = [[center]]
        kept = {center}
        # Every node met so far, shown or left out: a node one link away that the first ring
        # had no room for is not two links away (nor counted again in the "more" of the second).
        met = {center}
        hidden: list[int] = []
        for _ in range(depth + 1):
            limit = cap - (len(kept) - 1) if len(rings) <= depth else cap
            if len(rings) > 1:
                limit = min(limit, LOCAL_OUTER_MAX)
            ring, left_out, candidates = self._ring(rings[-1], met, max(0, limit))
            if not ring and not left_out:
                break
            hidden.append(left_out)
            if not ring:
                break
            rings.append(ring)
            kept.update(ring)
            met |= candidates
        members = [i for ring in rings for i in ring]
        level = {i: d for d, ring in enumerate(rings) for i in ring}
        slot = {i: k for k, i in enumerate(members)}
        edges: list[tuple[int, int]] = []
        limit_edges = LOCAL_MAX_EDGES_PER_NODE * len(members)
        for u in sorted(members):  # the edges among members
            for v in sorted(self.targets[u].intersection(slot)):
                if abs(level[u] - level[v]) <= 1:
                    edges.append((slot[u], slot[v]))
        # Keep every edge that touches the centre or a ring-to-ring parent; trim the rest.
        edges.sort(key=lambda e: (min(level[members[e[0]]], level[members[e[1]]]), e))
        edges = edges[:limit_edges]
        moments, played = {}, {}
        for e, (a, b) in enumerate(edges):
            edge = (members[a], members[b])
            if edge in self.moments:
                moments[str(e)] = self.moments[edge]
                if edge in self.moment_video:
                    played[str(e)] = self.moment_video[edge]
        xy = self._radial(rings)
        kind_index = {k: n for n, k in enumerate(self._common()["kinds"])}
        groups = self.communities
        present = sorted({groups.of[i] for i in members if groups.of[i] >= 0})
        group_index = {k: g for g, k in enumerate(present)}
        return {
            "version": 1,
            **self._common(),
            "depth": depth,
            "hidden": hidden,
            "nodes": {
                "title": [self.titles[i] for i in members],
                "kind": [kind_index[self.kinds[i]] for i in members],
                "x": [xy[i][0] for i in members],
                "y": [xy[i][1] for i in members],
                "size": [node_size(self.degree[i]) for i in members],
                "font": [label_size(self.degree[i]) for i in members],
                "url": [self.urls[i] for i in members],
                "folder": [self.folders[i] for i in members],
                "depth": [level[i] for i in members],
                "links": [self.degree[i] for i in members],
                "group": [group_index.get(groups.of[i], -1) for i in members],
            },
            "groups": {
                "color": [groups.color[k] for k in present],
                "name": [self.titles[groups.name[k]] for k in present],
            },
            "video": {str(slot[int(k)]): v for k, v in self._video(members).items()},
            "labelChars": LABEL_CHARS,
            "edges": [i for edge in edges for i in edge],
            "moments": moments,
            "momentVideo": played,
        }

    def _radial(self, rings: list[list[int]]) -> dict[int, tuple[int, int]]:
        """Centre at 0,0; ring d on a circle of radius ``1000 * d`` (the script fits the
        radii to its canvas). The first ring is spread evenly, each community's nodes
        together and the communities in the angular order of the global map; a node of a
        further ring sits beside its parents, its neighbours pushed apart just enough."""
        positions, community = self.positions, self.community_labels
        cx, cy = positions[rings[0][0]]
        xy: dict[int, tuple[int, int]] = {rings[0][0]: (0, 0)}
        angle: dict[int, float] = {}
        for d, ring in enumerate(rings[1:], start=1):
            wanted: dict[int, float] = {}
            for i in ring:
                around = self.neighbours[i]
                parents = [a for j, a in angle.items() if j in around] if d > 1 else []
                if parents:
                    wanted[i] = _circular_mean(parents)
                else:
                    x, y = positions[i]
                    wanted[i] = math.atan2(y - cy, x - cx) if (x, y) != (cx, cy) else 0.0
            if d == 1:
                where: dict[int, list[float]] = defaultdict(list)
                for i in ring:
                    where[community[i]].append(wanted[i])
                group = {c: _circular_mean(found) for c, found in where.items()}
                order = sorted(
                    ring, key=lambda i: (group[community[i]], community[i], wanted[i], i)
                )
                step = 2 * math.pi / len(order)
                offset = _circular_mean([wanted[i] - step * k for k, i in enumerate(order)])
                placed = {i: offset + step * k for k, i in enumerate(order)}
            else:
                placed = _spread(wanted, 2 * math.pi / max(len(ring), LOCAL_OUTER_MAX))
            for i, a in placed.items():
                angle[i] = a
                xy[i] = (round(1000 * d * math.cos(a)), round(1000 * d * math.sin(a)))
        return xy

    def local_page(self, url: str) -> tuple[str, str, str] | None:
        """The local graph of the page at site-relative `url`: the section the page shows,
        the site path of its data (`local_path`) and the data (JSON); None when the page has
        no node, or a node without neighbours.

        The section is hidden until the script draws it, so that without JavaScript nothing
        shows; it names its data, which the script fetches when the section comes into view.
        """
        data = self.local(url) if self.options.local else None
        if data is None or len(data["nodes"]["title"]) < 2:
            return None
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        path = local_path(url)
        section = (
            '\n<section class="ng-local-graph" hidden aria-label="Local graph" '
            f'data-ng-local-src="{html.escape(path, quote=True)}"></section>\n'
        )
        return section, path, payload

    def local_html(self, url: str) -> str:
        """The local graph section for a page (`local_page`), or "" when it has none."""
        local = self.local_page(url)
        return local[0] if local else ""


def local_path(url: str) -> str:
    """Site path of the data of the local graph of the page at site-relative `url`, the
    same for both styles of URL.

    >>> local_path("notes/a/"), local_path("notes/a.html"), local_path("")
    ('graph/local/notes/a.json', 'graph/local/notes/a.json', 'graph/local/index.json')
    """
    return page_data_path(LOCAL_DIR, url)


def _circular_mean(angles: Sequence[float]) -> float:
    """Mean direction of angles in radians (that of the sum of their unit vectors).

    >>> round(_circular_mean([math.pi - 0.1, -math.pi + 0.1]), 6)  # around ±π, not 0
    3.141593
    """
    sx = sum(math.cos(a) for a in angles)
    sy = sum(math.sin(a) for a in angles)
    return math.atan2(sy, sx) if sx or sy else 0.0


def _spread(wanted: Mapping[int, float], gap: float) -> dict[int, float]:
    """Angles as near the `wanted` ones as can be (least squares) with at least `gap` between
    neighbours, in the same circular order (at most ``2π / len`` apart).

    The circle is cut at its widest gap; then, from the first angle on, each one that comes
    too close to the previous group joins it, and a group sits at the mean of what its
    members want, `gap` apart (the pool-adjacent-violators algorithm).

    >>> spread = _spread({1: 0.0, 2: 0.0, 3: 2.0}, 0.5)
    >>> [round(spread[i], 3) for i in (1, 2, 3)]
    [-0.25, 0.25, 2.0]
    >>> spread = _spread({1: 3.1, 2: -3.1}, 0.5)  # neighbours across ±π
    >>> round(spread[1], 3), round(spread[2], 3)
    (2.892, 3.392)
    """
    order = sorted(wanted, key=lambda i: (wanted[i], i))
    if not order:
        return {}
    gap = min(gap, 2 * math.pi / len(order))
    angles = [wanted[i] for i in order]
    widest = max(range(len(angles)), key=lambda k: (angles[k] - angles[k - 1]) % (2 * math.pi))
    order = order[widest:] + order[:widest]
    unwrapped = [angles[widest]]
    for i in order[1:]:
        unwrapped.append(unwrapped[-1] + (wanted[i] - unwrapped[-1]) % (2 * math.pi))
    groups: list[list[float]] = []  # [count, sum of (wanted - k * gap)] per group
    for a in unwrapped:
        groups.append([1, a])
        while len(groups) > 1:
            (n0, s0), (n1, s1) = groups[-2], groups[-1]
            if s1 / n1 >= s0 / n0 + n0 * gap:
                break
            groups[-2:] = [[n0 + n1, s0 + s1 - n1 * n0 * gap]]
    placed: list[float] = []
    for count, total in groups:
        placed.extend(total / count + k * gap for k in range(int(count)))
    return dict(zip(order, placed, strict=True))


def _unique(items: Iterable[int], skip: set[int]) -> Iterator[int]:
    """`items` without repeats and without those in `skip`, lazily."""
    seen = set(skip)
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def aliases_of(notes: Mapping[Any, Any]) -> dict[Hashable, list[str]]:
    """Aliases per note id, from a vault's notes (anything with an ``aliases`` attribute)."""
    return {note_id: list(note.aliases) for note_id, note in notes.items() if note.aliases}


@dataclass(frozen=True)
class ViewedGraph:
    """What the graph stage gives the pages: the view (each page's local graph), and the
    graph page's Markdown and data (both empty when the site has no graph page)."""

    view: GraphView
    page: str
    data: bytes
    """The graph page's data (``view.json``) in UTF-8 (see `write.Pages.files`)."""
    identity: str = ""
    """A digest of everything the view is made from: the graph, the aliases, the options
    (but where the layout cache is) and the layout's places and communities. Two builds
    with the same identity draw every local graph alike (an incremental build relies on it)."""


def view_graph(
    G: nx.DiGraph,
    graph_data: bytes,
    notes: Mapping[Any, Any],
    options: ViewOptions,
    existing: frozenset[str],
    memo: Memo | None = None,
) -> ViewedGraph:
    """The graph view of `G` (whose `notes` give their aliases to search), and the graph
    page unless `options` turn it off or a hand-written page takes its path (`existing`).

    With a memo (live preview), an unchanged graph reuses the last build's view and data;
    `graph_data` (the graph's ``graph.json``, already made) tells whether it changed.
    """
    page = options.page and GRAPH_PAGE not in existing
    graph = fingerprint([hashlib.blake2b(graph_data).hexdigest(), aliases_of(notes)])

    def make() -> ViewedGraph:
        view = GraphView(G, options, aliases_of(notes))
        layout = hashlib.blake2b(repr((view.positions, view.community_labels)).encode())
        anywhere = repr(dataclasses.replace(options, cache_file=None))
        identity = fingerprint([graph, anywhere, layout.hexdigest(), _versions(), page])
        markdown, data = _page_data(view, page, identity, options.cache_file)
        return ViewedGraph(view, markdown, data, identity)

    if memo is None:
        return make()
    return memo.get(("graph-view", graph, repr(options), page), None, make)


def _versions() -> list[str]:
    """What makes the view besides its inputs: notegraph's code and the libraries."""
    return [code_digest(), metadata.version("networkx"), metadata.version("pyvis")]


def _page_data(
    view: GraphView, page: bool, identity: str, cache_file: Path | None
) -> tuple[str, bytes]:
    """The graph page's Markdown and data, as `view` makes them; or as the last build made
    them for the same `identity`, kept beside the layout cache (``view.json`` of a large
    vault takes seconds to make, and most builds do not change the graph)."""
    if not page:
        return "", b""
    if cache_file is None:
        return view.page_markdown(), view.data_bytes()
    kept = cache_file.with_name(cache_file.name + ".page")
    try:  # identity, Markdown and data, NUL apart (neither holds one)
        head, markdown, data = kept.read_bytes().split(b"\0", 2)
        if head.decode() == identity:
            return markdown.decode("utf-8"), data
    except (OSError, ValueError):  # none, or not ours: made again
        pass
    text, data = view.page_markdown(), view.data_bytes()
    try:
        temporary = kept.with_name(kept.name + ".tmp")
        temporary.write_bytes(b"\0".join([identity.encode(), text.encode("utf-8"), data]))
        temporary.replace(kept)
    except OSError:
        pass  # the next build makes it again
    return text, data

"""Node positions and communities for the graph view, computed at build time and cached.

The browser shows the graph with physics off, so every node needs a position before the page
loads. A map of a vault should show what it is about: its communities (groups of notes that
link to each other more than to the rest) as regions, hubs at their centre, related
communities side by side. So the layout first finds communities with networkx's Louvain
method (seeded: the same graph gives the same communities), then runs a ForceAtlas2-style
force layout in NumPy that knows them. networkx's own layouts are quadratic in the number of
nodes (``spring_layout`` takes minutes at 20,000 nodes); this one is not:

- attraction is linear along every edge (direction ignored, duplicates merged); an edge
  between two communities pulls with `INTER` of the strength of an edge inside one, so
  communities draw apart while the links between them still bring related ones near;
- each node is pulled towards the centre of its community (`PULL`), in proportion to the
  share of its links that stay inside it (a note linked from everywhere belongs to no
  region and stays between them) and more strongly for hubs (up to `HUB_PULL` times), so a
  community's hubs sit at its centre;
- repulsion between all pairs, ``mass_i * mass_j / distance`` with ``mass = 1 + degree``
  (the degree capped at `HUB_MASS` times the median, or a hub clears a hole around it), is
  computed on a grid with an FFT convolution (a particle-mesh method), so one iteration
  costs O(nodes + edges + grid log grid) instead of O(nodes²);
- gravity grows with the distance to the centre (ForceAtlas2's "strong gravity"), which keeps
  isolated nodes and small components close;
- each node moves at most a "temperature" per iteration, which cools to zero;
- the result is scaled so that each node has about `SPACING`² px² of the map's core, and that
  scale is kept in the cache, so later runs use the same one.

Same graph and same cache in, same positions out, byte for byte: the random start comes from
a fixed seed, nodes and edges are sorted, positions are rounded to whole units.

`map_layout(G, cache_file)` reuses the cache when the graph is unchanged (no layout at all)
and otherwise, if it knows at least half of the nodes (`KEEP`; else it is another vault's
map), starts from the cached positions and communities: known nodes keep both, new
nodes join the community most of their neighbours are in and start at the mean of their
known neighbours, and a short, cool run settles them, so a small change to the vault moves
the rest of the map little and no region changes colour. Communities are found again only
without a cache (delete it for a fresh map).

>>> G = nx.path_graph(["a", "b", "c"])
>>> pos = layout_positions(G, None)
>>> sorted(pos) == ["a", "b", "c"] and pos == layout_positions(G, None)
True
>>> G = nx.union(nx.complete_graph(["a", "b", "c"]), nx.complete_graph(["x", "y", "z"]))
>>> G.add_edge("c", "x")
>>> found = map_layout(G, None).community
>>> found["a"] == found["b"] == found["c"] != found["x"] == found["y"] == found["z"]
True
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from notegraph.core.base import progress

__all__ = [
    "MapLayout",
    "communities",
    "force_layout",
    "graph_signature",
    "layout_of",
    "layout_positions",
    "map_layout",
]

CACHE_VERSION = 2
SPACING = 70.0
"""Mean distance between nodes, in px at zoom 1 (measured over the middle 90% of the map),
for big graphs; small ones get up to three times more, room for their labels."""
GRAVITY = 1.0
INTER = 0.1
"""Pull of an edge between two communities, for 1 of an edge inside one."""
PULL = 0.5
"""Pull of a community's centre on its nodes, for 1 of the centre of the map."""
HUB_PULL = 4.0
"""The pull grows with a node's links, up to this many times that of a typical node."""
KEEP = 0.5
"""A cache is a start only for a graph of which it knows at least this share of the nodes."""
HUB_MASS = 20.0
"""A node repels as if it had at most this many times the median number of links: a hub of
thousands would clear an empty disc around itself."""
_PARAMETERS = [CACHE_VERSION, SPACING, GRAVITY, INTER, PULL, HUB_PULL, HUB_MASS]
"""A cache made with other parameters is not reused at all, not even as a start."""
GRID_MAX = 256


def _kernels(size: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the 2-D repulsion kernel r/|r|² on a (2*size)² grid, laid out for convolution."""
    n = 2 * size
    offsets = np.arange(n, dtype=np.float64)
    offsets[offsets >= size] -= n
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


@dataclass(frozen=True)
class MapLayout:
    """Where each node of the map is, and which community it belongs to."""

    positions: dict[Hashable, tuple[int, int]]
    """Position of every node, in whole px at zoom 1."""
    community: dict[Hashable, int]
    """Community of every node: 0 is the largest when the communities were found; a node
    that has no link is a community of its own."""


def communities(n: int, edges: np.ndarray, seed: int = 0) -> np.ndarray:
    """Louvain communities of the graph on nodes ``0..n-1`` with these undirected edges:
    one label per node, the largest community first (ties: the one with the smallest node).

    >>> communities(5, np.array([[0, 1], [1, 2], [0, 2], [3, 4]])).tolist()
    [0, 0, 0, 1, 1]
    """
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges.tolist())
    found = nx.community.louvain_communities(G, seed=seed)
    labels = np.zeros(n, dtype=np.int64)
    for label, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c)))):
        labels[sorted(members)] = label
    return labels


def _pulls(
    n: int, u: np.ndarray, v: np.ndarray, mass: np.ndarray, community: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Weight of each edge and pull of each node towards its community's centre."""
    if community is None:
        return np.ones(len(u)), np.zeros(n)
    inside = community[u] == community[v]
    weight = np.where(inside, 1.0, INTER)
    links = np.maximum(mass - 1.0, 1.0)
    share = np.bincount(np.r_[u, v], np.r_[inside, inside].astype(np.float64), minlength=n)
    hub = np.minimum(mass / float(np.median(mass)), HUB_PULL)
    return weight, PULL * mass * hub * share / links


def force_layout(
    n: int,
    edges: np.ndarray,
    start: np.ndarray,
    iterations: int,
    temperature: float | np.ndarray,
    community: np.ndarray | None = None,
) -> np.ndarray:
    """Run the force layout on nodes ``0..n-1`` from positions `start` (n × 2).

    `edges` is an (m × 2) integer array of undirected edges without duplicates. `temperature`
    is the largest step of the first iteration, in layout units, for all nodes or per node;
    it cools linearly to zero. With `community` (a label per node), edges between
    communities pull less and communities gather around their centres (see above).
    """
    X = np.array(start, dtype=np.float64, copy=True)
    if n < 2:
        return X
    u, v = (edges[:, 0], edges[:, 1]) if len(edges) else (np.zeros(0, int), np.zeros(0, int))
    degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    cap = HUB_MASS * max(1.0, float(np.median(degree)))
    mass = 1.0 + np.minimum(degree, cap).astype(np.float64)
    weight, pull = _pulls(n, u, v, mass, community)
    if community is not None:
        labels = int(community.max()) + 1
        # A label no node has (labels need not be consecutive) weighs 1, not 0: its centre,
        # which no node is pulled to, is then no 0 / 0 (and no RuntimeWarning).
        community_mass = np.maximum(np.bincount(community, mass, minlength=labels), 1.0)
    size = int(min(GRID_MAX, max(16, math.ceil(1.5 * math.sqrt(n)))))
    kx_hat, ky_hat = _kernels(size)
    hot = np.broadcast_to(np.asarray(temperature, dtype=np.float64), (n,))
    progress.expect(iterations)
    for step in range(iterations):
        progress.advance()
        t = hot * (1.0 - step / iterations)
        # Repulsion on the grid: deposit masses (cloud in cell), convolve, interpolate back.
        lo = X.min(axis=0)
        span = float((X.max(axis=0) - lo).max()) or 1.0
        h = span / (size - 1.001)
        g = (X - lo) / h
        i0 = np.minimum(np.floor(g).astype(np.int64), size - 2)
        f = g - i0
        weights = (
            ((1 - f[:, 0]) * (1 - f[:, 1]), 0, 0),
            (f[:, 0] * (1 - f[:, 1]), 1, 0),
            ((1 - f[:, 0]) * f[:, 1], 0, 1),
            (f[:, 0] * f[:, 1], 1, 1),
        )
        rho = np.zeros(4 * size * size)
        flat = [(i0[:, 0] + a) * 2 * size + (i0[:, 1] + b) for _, a, b in weights]
        for (w, _, _), index in zip(weights, flat, strict=True):
            rho += np.bincount(index, w * mass, minlength=4 * size * size)
        rho_hat = np.fft.rfft2(rho.reshape(2 * size, 2 * size))
        field_x = np.fft.irfft2(rho_hat * kx_hat, s=(2 * size, 2 * size)).ravel()
        field_y = np.fft.irfft2(rho_hat * ky_hat, s=(2 * size, 2 * size)).ravel()
        force = np.zeros_like(X)
        for (w, _, _), index in zip(weights, flat, strict=True):
            force[:, 0] += w * field_x[index]
            force[:, 1] += w * field_y[index]
        force *= (mass / h)[:, None]
        # Attraction along edges.
        if len(u):
            d = (X[v] - X[u]) * weight[:, None]
            for axis in (0, 1):
                force[:, axis] += np.bincount(u, d[:, axis], minlength=n)
                force[:, axis] -= np.bincount(v, d[:, axis], minlength=n)
        # Gravity towards the centre of mass, in proportion to the distance.
        centred = X - (X * mass[:, None]).sum(axis=0) / mass.sum()
        force -= (GRAVITY * mass)[:, None] * centred
        # Each community gathers around its own centre of mass.
        if community is not None:
            centres = (
                np.stack(
                    [
                        np.bincount(community, X[:, axis] * mass, minlength=labels)
                        for axis in (0, 1)
                    ],
                    axis=1,
                )
                / community_mass[:, None]
            )
            force -= pull[:, None] * (X - centres[community])
        # Move, each node at most t.
        length = np.hypot(force[:, 0], force[:, 1]) + 1e-12
        X += force * (np.minimum(length, t) / length)[:, None]
    return X


def graph_signature(nodes: list[str], edges: list[tuple[int, int]]) -> str:
    """Digest of the sorted node ids and undirected edges: equal digests, equal layouts."""
    digest = hashlib.sha256()
    digest.update(json.dumps([_PARAMETERS, nodes, edges], ensure_ascii=False).encode())
    return digest.hexdigest()


def _read_cache(cache_file: Path | None) -> dict[str, object]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("parameters") != _PARAMETERS:
        return {}
    return data


def _scale(X: np.ndarray) -> float:
    """Px per layout unit that gives the middle of the map a spacing of `SPACING`."""
    if len(X) < 2:
        return 1.0
    lo, hi = np.percentile(X, [5, 95], axis=0)
    inside = np.all((lo <= X) & (hi >= X), axis=1).sum()
    area = float(np.prod(np.maximum(hi - lo, 1e-9)))
    spacing = SPACING * min(3.0, max(1.0, math.sqrt(500 / len(X))))
    return spacing / math.sqrt(area / max(int(inside), 1))


def _write_cache(
    cache_file: Path,
    signature: str,
    scale: float,
    positions: Mapping[str, list[int]],
    community: Mapping[str, int],
) -> None:
    data = {
        "parameters": _PARAMETERS,
        "scale": scale,
        "signature": signature,
        "positions": positions,
        "communities": community,
    }
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n")
        temporary.replace(cache_file)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _join_communities(labels: np.ndarray, have: np.ndarray, neighbours: list[list[int]]) -> None:
    """Give each node without a label (``have`` false) the label most of its neighbours
    have (ties: the smallest), in passes so that chains of new nodes follow; a node with no
    labelled neighbour starts a community of its own. Changes `labels` in place.
    """
    todo = sorted(np.flatnonzero(~have).tolist())
    known = have.copy()
    for _ in range(8):
        changed = False
        for i in todo:
            votes = Counter(int(labels[j]) for j in neighbours[i] if known[j])
            if votes:
                best = min(votes, key=lambda label: (-votes[label], label))
                if not known[i] or labels[i] != best:
                    labels[i], known[i], changed = best, True, True
        if not changed:
            break
    fresh = int(labels[known].max()) + 1 if known.any() else 0
    for i in todo:
        if not known[i]:
            labels[i], known[i] = fresh, True
            fresh += 1


def map_layout(G: nx.Graph, cache_file: Path | None, seed: int = 0) -> MapLayout:
    """Positions (rounded to whole units) and communities of every node of `G` (directions
    ignored).

    With `cache_file`, an unchanged graph reuses the cached map as it is, and a changed one
    starts from it (see the module docstring); the cache is then rewritten.
    """
    ids = sorted(G.nodes, key=str)
    index = {node: i for i, node in enumerate(ids)}
    pairs = sorted(
        {(min(index[a], index[b]), max(index[a], index[b])) for a, b in G.edges() if a != b}
    )
    return layout_of(ids, pairs, cache_file, seed)


def layout_of(
    ids: Sequence[Hashable], pairs: list[tuple[int, int]], cache_file: Path | None, seed: int = 0
) -> MapLayout:
    """`map_layout` of a graph given as its nodes, sorted by name, and its edges as sorted
    pairs ``(i, j)`` of their indexes, ``i < j`` (a caller that has them saves walking a
    large graph again)."""
    names = [str(node) for node in ids]
    signature = graph_signature(names, pairs)
    cache = _read_cache(cache_file)
    cached = cache.get("positions")
    known: dict[str, list[int]] = cached if isinstance(cached, dict) else {}
    grouped = cache.get("communities")
    groups: dict[str, int] = grouped if isinstance(grouped, dict) else {}
    if (
        cache.get("signature") == signature
        and all(name in known for name in names)
        and all(name in groups for name in names)
    ):
        progress.tell("the graph is unchanged: positions from the layout cache")
        return MapLayout(
            {
                node: (int(known[n][0]), int(known[n][1]))
                for node, n in zip(ids, names, strict=True)
            },
            {node: int(groups[name]) for node, name in zip(ids, names, strict=True)},
        )

    n = len(ids)
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    radius = 2.0 * math.sqrt(max(n, 1))
    cached_scale = cache.get("scale")
    scale = float(cached_scale) if isinstance(cached_scale, int | float) else 0.0
    if scale <= 0 or sum(name in known for name in names) < KEEP * n:
        known, scale = {}, 0.0  # another vault's map, or too little of this one's
    start = rng.uniform(-radius, radius, size=(n, 2))
    have = np.zeros(n, dtype=bool)
    labels = np.zeros(n, dtype=np.int64)
    for i, name in enumerate(names):
        if name in known and isinstance(groups.get(name), int):
            start[i] = np.asarray(known[name], dtype=np.float64) / scale
            labels[i] = groups[name]
            have[i] = True
    if have.any():
        neighbours: list[list[int]] = [[] for _ in range(n)]
        for a, b in pairs:
            neighbours[a].append(b)
            neighbours[b].append(a)
        _join_communities(labels, have, neighbours)
        for new in np.flatnonzero(~have).tolist():
            placed = [j for j in neighbours[new] if have[j]]
            if placed:
                start[new] = start[placed].mean(axis=0) + rng.uniform(-1.0, 1.0, size=2)
        # Known nodes may only settle (a fraction of a unit per step); new ones find a place.
        iterations = 80
        temperature: float | np.ndarray = np.where(have, 0.02, max(2.0, radius / 8))
    else:
        labels = communities(n, edges, seed)
        iterations, temperature = 300, radius / 2
    X = force_layout(n, edges, start, iterations, temperature, labels)
    if scale <= 0:
        scale = round(_scale(X), 6)
    positions = {
        name: [round(x * scale), round(y * scale)] for name, (x, y) in zip(names, X, strict=True)
    }
    community = {name: int(label) for name, label in zip(names, labels, strict=True)}
    if cache_file is not None:
        _write_cache(cache_file, signature, scale, positions, community)
    return MapLayout(
        {
            node: (positions[name][0], positions[name][1])
            for node, name in zip(ids, names, strict=True)
        },
        {node: community[name] for node, name in zip(ids, names, strict=True)},
    )


def layout_positions(
    G: nx.Graph, cache_file: Path | None, seed: int = 0
) -> dict[Hashable, tuple[int, int]]:
    """Positions of every node of `G` (see `map_layout`)."""
    return map_layout(G, cache_file, seed).positions

"""Does the map show its communities? A measure of the layout of a built site's graph.

    python benchmarks/graph_layout.py SITE [SITE ...] [--vault VAULT ...] [--render 3]

Reads ``graph/view.json`` of each built site (positions and edges as the page draws them),
finds the graph's communities with networkx's Louvain method on the undirected graph of the
drawn nodes and links, built as `layout` builds it (nodes in order, sorted pairs)
and seeded as it is, and prints, per site:

- the number of nodes, links and communities, and the modularity of those communities;
- **intra / all**: the mean distance between two nodes of the same community divided by the
  mean distance between any two nodes. A layout that ignores communities gives about 0.6
  (a uniform disc); a map whose communities are regions gives 0.5 or less (the smaller, the
  more compact and separate the regions). Without a layout cache these are the layout's own
  communities (with one, those it kept across edits; the view's column gives them);
- **other seeds**: the mean of the same ratio for Louvain run with seeds 1 to 5. Louvain's
  partitions of a real vault differ from run to run (on lennyspodcast two runs agree with
  an adjusted Rand index near 0.5), so this says how well the map shows communities it was
  not drawn from;
- the ratio for the communities the view carries (``community`` column, -1 for none).

With ``--vault VAULT`` (repeatable), a vault is measured without an MkDocs build: the core
reads it and makes the graph page's data (`build_site` with default view options, no
layout cache), written into a temporary folder with the bare page of
``benchmarks/graph_page.py`` (no Material around it: rendering 20,000 pages would dominate).
Its first render is then that bare page's.

Means are exact (every pair of nodes), computed in blocks so that 20,000 nodes fit in memory.

With ``--render N``, it also opens the site's graph page N times in headless Chromium
(1366×900, served on 127.0.0.1) and gives the median time from navigation to the first
frame vis-network draws with the labels over it (the whole page: Material, the data, the
script).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

BLOCK = 1024


def pair_distance_sum(X: np.ndarray) -> tuple[float, int]:
    """Sum of the distances between every two rows of `X` (each pair once), and the count."""
    n = len(X)
    total = 0.0
    for start in range(0, n, BLOCK):
        block = X[start : start + BLOCK]
        d = np.hypot(block[:, None, 0] - X[None, :, 0], block[:, None, 1] - X[None, :, 1])
        total += float(d.sum())
    return total / 2, n * (n - 1) // 2


def intra_ratio(X: np.ndarray, labels: np.ndarray) -> float:
    """Mean distance of two nodes of one community over the mean distance of any two."""
    total, pairs = pair_distance_sum(X)
    inside, inside_pairs = 0.0, 0
    for label in np.unique(labels):
        members = X[labels == label]
        if len(members) > 1:
            s, c = pair_distance_sum(members)
            inside, inside_pairs = inside + s, inside_pairs + c
    if not inside_pairs or not pairs:
        return math.nan
    return (inside / inside_pairs) / (total / pairs)


def measure(site: Path, seed: int = 0) -> dict[str, float | int]:
    data = json.loads((site / "graph" / "view.json").read_text(encoding="utf-8"))
    nodes = data["nodes"]
    n = len(nodes["title"])
    X = np.array([nodes["x"], nodes["y"]], dtype=np.float64).T
    flat = data["edges"]
    ends = zip(flat[::2], flat[1::2], strict=True)
    pairs = sorted({(min(a, b), max(a, b)) for a, b in ends if a != b})
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(pairs)

    def louvain(seed: int) -> tuple[list[set[int]], np.ndarray]:
        found = nx.community.louvain_communities(G, seed=seed)
        labels = np.zeros(n, dtype=np.int64)
        for label, members in enumerate(found):
            labels[sorted(members)] = label
        return found, labels

    found, labels = louvain(seed)
    others = [intra_ratio(X, louvain(other)[1]) for other in range(seed + 1, seed + 6)]
    result: dict[str, float | int] = {
        "nodes": n,
        "links": G.number_of_edges(),
        "communities": len(found),
        "modularity": nx.community.modularity(G, found),
        "intra / all": intra_ratio(X, labels),
        "other seeds": float(np.mean(others)),
    }
    if "community" in nodes:
        view = np.asarray(nodes["community"])
        singles = np.arange(n) + view.max() + 1  # nodes of no named community: one each
        result["view's communities"] = intra_ratio(X, np.where(view >= 0, view, singles))
    return result


def first_render(site: Path, runs: int) -> float:
    """Median ms from navigation to the graph page's first drawn frame, in Chromium."""
    from browser import chromium, offline_page, serve

    times = []
    with serve(site) as base, chromium() as browser:
        for _ in range(runs):
            tab = offline_page(browser, viewport={"width": 1366, "height": 900})
            tab.page.goto(base + "graph/")
            tab.page.wait_for_function(
                "window.notegraph && window.notegraph.ready", timeout=120_000
            )
            times.append(tab.page.evaluate("window.notegraph.renderedAt"))
            assert not tab.foreign and not tab.errors, (tab.foreign, tab.errors)
            tab.page.context.close()
    return statistics.median(times)


def vault_site(vault: Path, root: Path) -> Path:
    """The graph page of `vault` made by the core alone, as a bare site in `root`."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from graph_page import bare_site
    from notegraph.core.base.names import SrcUri
    from notegraph.core.graph.view import GRAPH_DATA, ViewOptions
    from notegraph.core.pipeline import build_site
    from notegraph.core.sitemap.sitemap import Options

    built = build_site(vault, Options(workers=2), view=ViewOptions())
    bare_site(root, built.pages.files[SrcUri(GRAPH_DATA)])
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", type=Path, nargs="*", help="built sites (with graph/view.json)")
    parser.add_argument(
        "--vault", type=Path, action="append", default=[], help="a vault, without MkDocs"
    )
    parser.add_argument("--seed", type=int, default=0, help="Louvain's seed (the layout's: 0)")
    parser.add_argument("--render", type=int, default=0, help="first renders to time")
    args = parser.parse_args()
    temporary = tempfile.TemporaryDirectory(prefix="notegraph-layout-")
    sites = list(args.sites)
    for k, vault in enumerate(args.vault):
        sites.append(vault_site(vault, Path(temporary.name) / f"{k}-{vault.name}"))
    if not sites:
        parser.error("give a built site or --vault")
    rows = [(site, measure(site, args.seed)) for site in sites]
    if args.render:
        for site, result in rows:
            result["first render (ms)"] = round(first_render(site, args.render))
    keys = list(rows[0][1])
    print("| site | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for site, result in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else f"{v:,}" for v in result.values()]
        print(f"| {site.name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

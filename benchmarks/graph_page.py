"""Benchmark of the global graph page: layout, data and first render in headless Chromium.

    python benchmarks/graph_page.py [--sizes 1000 5000 20000] [--degree 10]

For each size it makes a synthetic vault graph (notes in folders, 15 % topics, about
`degree` links per node, mostly inside a community, a few hubs), then measures:

- layout: `layout_positions` from scratch (no cache), and again after adding one node
  with the cache of the first run (the incremental case of a small edit to the vault);
- data: packing the page data (`GraphView.data_json`, which goes through pyvis);
- first render: from navigation to vis-network's first drawn frame in headless Chromium,
  on a bare page holding the graph container, our script and the vendored vis-network
  (no Material, no MkDocs build: 20,000 pages would dominate);
- redraw: mean time of one frame with the whole map in view, then zoomed in to scale 1
  (what a pan or zoom step costs).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, offline_page, serve  # noqa: E402
from notegraph.core.graph.layout import layout_positions  # noqa: E402
from notegraph.core.graph.view import GRAPH_DATA, GraphView, ViewOptions  # noqa: E402

ASSETS = REPO / "plugins" / "notegraph" / "assets"


def synthetic_graph(n: int, degree: int, seed: int = 1) -> nx.DiGraph:
    """A vault-like graph: communities (folders), hubs, topics; deterministic."""
    rng = random.Random(seed)
    G = nx.DiGraph()
    topics = n * 15 // 100
    communities = max(1, round(n**0.5 / 2))
    for i in range(n - topics):
        folder = f"folder{i % communities}"
        tags = [f"tag{rng.randrange(40)}"] if rng.random() < 0.5 else []
        G.add_node(
            f"{folder}/note{i}.md",
            title=f"Note {i} about {rng.choice(['trust', 'growth', 'metrics', 'writing'])}",
            kind="note",
            url=f"notes/{folder}/note{i}/",
            tags=tags,
            folder=folder,
        )
    for t in range(topics):
        G.add_node(f"topic:t{t}", title=f"Topic {t}", kind="topic", url=f"topics/t{t}/")
    notes = [node for node in G if not str(node).startswith("topic:")]
    by_folder: dict[str, list[str]] = {}
    for node in notes:
        by_folder.setdefault(G.nodes[node]["folder"], []).append(node)
    everything = list(G)
    hubs = rng.sample(notes, max(1, n // 1000))
    for node in notes:
        local = by_folder[G.nodes[node]["folder"]]
        for _ in range(degree * n // len(notes)):
            r = rng.random()
            target = rng.choice(local if r < 0.7 else hubs if r < 0.75 else everything)
            if target != node:
                G.add_edge(node, target, count=1)
    return G


def bench_layout(G: nx.DiGraph, cache: Path) -> tuple[float, float]:
    start = time.perf_counter()
    layout_positions(G.to_undirected(as_view=True), cache)
    fresh = time.perf_counter() - start
    H = G.copy()
    first = next(iter(H))
    H.add_node("new.md", title="New", kind="note", url="notes/new/", tags=[], folder="")
    H.add_edge("new.md", first, count=1)
    start = time.perf_counter()
    layout_positions(H.to_undirected(as_view=True), cache)
    return fresh, time.perf_counter() - start


def bench_browser(site: Path, runs: int = 3) -> tuple[list[float], list[list[float]]]:
    renders, redraws = [], []
    with serve(site) as base, chromium() as browser:
        for _ in range(runs):
            tab = offline_page(browser, viewport={"width": 1280, "height": 900})
            page = tab.page
            page.goto(base + "graph/")
            page.wait_for_function("window.notegraph && window.notegraph.ready", timeout=120_000)
            renders.append(page.evaluate("window.notegraph.renderedAt"))
            redraws.append(
                page.evaluate(
                    """() => {
                      const net = window.notegraph.network;
                      const frame = () => {
                        const t = performance.now();
                        for (let i = 0; i < 5; i++) net.renderer._redraw();
                        return (performance.now() - t) / 5;
                      };
                      net.fit({animation: false});
                      const whole = frame();
                      net.moveTo({scale: 1});
                      return [whole, frame()];
                    }"""
                )
            )
            assert not tab.foreign, tab.foreign
            assert not tab.errors, tab.errors
            page.context.close()
    return renders, redraws


def bare_site(root: Path, data: str) -> None:
    (root / "graph").mkdir(parents=True)
    (root / GRAPH_DATA).write_text(data, encoding="utf-8")
    shutil.copytree(ASSETS, root / "assets" / "notegraph")
    (root / "graph" / "index.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="../assets/notegraph/graph.css"></head><body>'
        f'<div class="ng-graph" data-ng-graph="{GRAPH_DATA}"></div>'
        '<script src="../assets/notegraph/graph.js"></script></body></html>',
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--degree", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {platform.machine()}, nx {nx.__version__}")
    print(
        "| nodes | edges | layout (s) | relayout +1 node (s) | data (s) | view.json (MB) |"
        " first render (ms) | frame, whole map (ms) | frame, zoomed in (ms) | edges drawn |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---|")
    for n in args.sizes:
        G = synthetic_graph(n, args.degree)
        with tempfile.TemporaryDirectory(prefix="notegraph-bench-") as tmp:
            cache = Path(tmp) / "layout.json"
            fresh, again = bench_layout(G, cache)
            view = GraphView(G, ViewOptions(cache_file=cache))
            start = time.perf_counter()
            data = view.data_json()
            packing = time.perf_counter() - start
            bare_site(Path(tmp) / "site", data)
            renders, redraws = bench_browser(Path(tmp) / "site", args.runs)
        drawn = "all" if json.loads(data)["drawEdges"] else "on hover"
        print(
            f"| {G.number_of_nodes()} | {G.number_of_edges()} | {fresh:.1f} | {again:.1f} |"
            f" {packing:.1f} | {len(data.encode()) / 1e6:.1f} |"
            f" {statistics.median(renders):.0f} | {statistics.median(r[0] for r in redraws):.0f} |"
            f" {statistics.median(r[1] for r in redraws):.0f} | {drawn} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Where the core's memory goes: RSS after each stage, and what the big structures hold.

    PYTHONPATH=$PWD/plugins nice python benchmarks/coremem.py VAULT [--tracemalloc] [--sizes]

Runs the stages of `pipeline.build_site` one by one, in one process (no MkDocs, one worker,
the graph view on), and prints the resident set size after each. `--sizes` adds a deep
`sys.getsizeof` count of each structure the build keeps (objects shared between structures
are counted once, in the first that reaches them); `--tracemalloc` the top allocation sites
and types still alive after each stage (slow: several times the run time).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from notegraph.core.base import memory
from notegraph.core.base.report import Report
from notegraph.core.checks.rules import apply_rules
from notegraph.core.graph.export import build_graph, graph_json_bytes
from notegraph.core.graph.view import ViewOptions, view_graph
from notegraph.core.linker.links import link_vault
from notegraph.core.pages.home import graph_svg
from notegraph.core.pages.site import Site
from notegraph.core.pages.write import write_pages
from notegraph.core.sitemap.sitemap import Options, plan_site
from notegraph.core.vault.notes import load_vault
from notegraph.core.vault.parsecache import PARSES

MB = 2**20


def rss() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / MB


def peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def deep_size(obj: Any, seen: set[int]) -> int:
    """Bytes of `obj` and everything it reaches that `seen` does not hold yet (no classes,
    functions or modules)."""
    size = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, type | type(deep_size) | type(sys)):
            continue
        seen.add(id(item))
        size += sys.getsizeof(item)
        if isinstance(item, str | bytes | int | float | bool | type(None)):
            continue
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        else:
            if hasattr(item, "__dict__"):
                stack.append(item.__dict__)
            for cls in type(item).__mro__:
                for slot in getattr(cls, "__slots__", ()):
                    if hasattr(item, slot):
                        stack.append(getattr(item, slot))
    return size


def sizes(parts: Iterable[tuple[str, Any]], seen: set[int]) -> None:
    for name, obj in parts:
        print(f"  {name:<40} {deep_size(obj, seen) / MB:9.1f} MB", flush=True)


def top(snapshot: tracemalloc.Snapshot, count: int = 12) -> None:
    stats = snapshot.statistics("lineno")
    total = sum(stat.size for stat in stats)
    print(f"  tracemalloc: {total / MB:.1f} MB alive")
    for stat in stats[:count]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        print(f"    {stat.size / MB:8.1f} MB {stat.count:>9,} blocks  {where}")


def types(count: int = 12) -> None:
    counts: Counter[str] = Counter()
    bytes_: Counter[str] = Counter()
    for obj in gc.get_objects():
        name = type(obj).__name__
        counts[name] += 1
        bytes_[name] += sys.getsizeof(obj)
    print("  gc-tracked objects by type (shallow size):")
    for name, size in bytes_.most_common(count):
        print(f"    {size / MB:8.1f} MB {counts[name]:>9,}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("vault", type=Path)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--sizes", action="store_true")

    args = parser.parse_args()
    if args.tracemalloc:
        tracemalloc.start()
    options, report = Options(workers=1), Report()
    cpu = time.process_time()
    clock = time.perf_counter()
    start_rss = rss()

    def stage(name: str) -> None:
        nonlocal clock, cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        print(
            f"{name:<6} {now - clock:6.1f} s  cpu {now_cpu - cpu:6.1f} s  "
            f"rss {rss():7.0f} MB  peak {peak():7.0f} MB",
            flush=True,
        )
        if args.tracemalloc:
            top(tracemalloc.take_snapshot())
            types()
        clock, cpu = time.perf_counter(), time.process_time()

    print(f"start  rss {start_rss:.0f} MB")
    vault = load_vault(args.vault, report, options.slugify, options.workers)
    memory.release()  # where `pipeline.build_site` does
    stage("read")
    links = link_vault(vault, report, None, options.workers)
    stage("link")
    apply_rules(vault, links, report, require_title=options.require_title)
    site_map = plan_site(vault, links, options, report)
    stage("plan")
    G = build_graph(vault, links, site_map)
    data = graph_json_bytes(G)
    stage("graph")
    viewed = view_graph(G, data, vault.notes, ViewOptions(), options.existing)
    memory.release(collect=True)
    stage("view")
    site = Site(vault, links, site_map, G, report, graph_svg(viewed.view))
    pages = write_pages(site, data, viewed)
    stage("pages")
    gc.collect()
    print(f"after gc.collect: rss {rss():.0f} MB, peak {peak():.0f} MB")
    if args.sizes:
        seen: set[int] = set()
        notes = list(vault.notes.values())
        print(f"sizes ({len(notes):,} notes, {len(pages):,} pages):")
        sizes(
            [
                ("note bodies", [n.body for n in notes]),
                ("masked copies (when not the body)", [n.masked for n in notes]),
                ("links (WikiLink)", [n.links for n in notes]),
                ("stamps", [n.stamps for n in notes]),
                ("headings", [n.headings for n in notes]),
                ("meta (frontmatter)", [n.meta for n in notes]),
                ("line indexes (cached)", [n.__dict__.get("_lines") for n in notes]),
                ("notes: the rest", vault),
                ("Links.targets", links.targets),
                ("Links.backlinks (Mentions)", links.backlinks),
                ("Links.mentions (topics)", links.mentions),
                ("Links: edges, moments, spellings", [links.edges, links.moments, links.spellings]),
                ("SiteMap", site_map),
                ("graph (DiGraph)", G),
                ("graph.json", data),
                ("GraphView", viewed),
                ("Pages", pages),
                ("Report", report),
                ("parse cache (the rest)", PARSES._entries),
            ],
            seen,
        )


if __name__ == "__main__":
    main()

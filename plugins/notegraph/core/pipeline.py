"""The core pipeline, from a vault folder to every page of its site, without MkDocs.

Each stage is a function of the results of the stages before it, and each result is
immutable, so that no stage can run before its inputs exist:

    read       root                      → Vault      (vault.notes.load_vault, a parse store)
    link       Vault                     → Links      (linker.links.link_vault)
    check      Vault, Links              → findings   (checks.rules.apply_rules)
    plan       Vault, Links              → SiteMap    (sitemap.sitemap.plan_site)
    graph      Vault, Links, SiteMap     → DiGraph    (graph.export.build_graph)
    view       DiGraph                   → ViewedGraph (graph.view.view_graph), if asked
    pages      Site (all of the above)   → Pages      (pages.site.write_pages)

`build_site` runs them in that order; a front end (the MkDocs plugin) hands the pages to a
renderer. Findings of every stage go to one `Report`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from notegraph.core.base import memory, progress
from notegraph.core.base.memo import Memo
from notegraph.core.base.report import Report, plural
from notegraph.core.checks.rules import apply_rules
from notegraph.core.graph.export import build_graph, graph_json_bytes
from notegraph.core.graph.view import GraphView, ViewedGraph, ViewOptions, view_graph
from notegraph.core.linker.links import link_store, link_vault
from notegraph.core.pages.home import graph_svg
from notegraph.core.pages.site import Site
from notegraph.core.pages.write import Pages, write_pages
from notegraph.core.sitemap.sitemap import Options, plan_site
from notegraph.core.vault.notes import load_vault
from notegraph.core.vault.notestore import NoteStore
from notegraph.core.vault.parsecache import open_store

__all__ = ["Build", "build_site"]


@dataclass(frozen=True)
class Build:
    """What a build made: the site its pages are written from, the pages, the graph view
    (None without graphs), and the seconds each stage took."""

    site: Site
    pages: Pages
    view: GraphView | None
    timings: Mapping[str, float]
    view_identity: str = ""
    """`ViewedGraph.identity` of the view ("" without graphs)."""
    notices: tuple[str, ...] = ()
    """What the build says of its caches, a line each (a file of parsed notes it could not
    use, and why): none of it changes the site."""

    def summary(self) -> str:
        """What was built: ``1,026 notes, 7,904 links resolved, 315 topic pages``."""
        site = self.site
        return (
            f"{plural(len(site.vault.notes), 'note')}, "
            f"{plural(site.links.resolved, 'link')} resolved, "
            f"{plural(len(site.map.topic_uri), 'topic page')}"
        )


def build_site(
    root: Path,
    options: Options | None = None,
    report: Report | None = None,
    memo: Memo | None = None,
    view: ViewOptions | None = None,
) -> Build:
    """Read the vault at `root` and generate every page of its site; with `view`, the
    graph page and each page's local graph as well.

    A `memo` (live preview) keeps what the next build can reuse: the links of unchanged
    notes, the graph view of an unchanged graph, the pages whose inputs did not change.
    """
    options = options or Options()
    report = report if report is not None else Report()
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[phase] = now - clock
        clock = now

    cache = options.cache_dir
    memory.thaw()  # what the builds before kept (live preview) is garbage now
    store = open_store(cache and cache / "parses", options.slugify, options.reuse_cache)
    with progress.phase("read", "note"), memory.lasting():
        vault = load_vault(root, report, options.slugify, options.workers, store)
    memory.release()  # the texts the notes were parsed from
    lap("parse")
    linked = link_store(cache and cache / "links", vault, options.slugify, options.reuse_cache)
    with progress.phase("link", "note", total=len(vault.notes)), memory.lasting():
        links = link_vault(vault, report, memo, options.workers, linked)
    lap("resolve")
    checked = (
        NoteStore(cache / "checks", "", "checked notes", options.reuse_cache) if cache else None
    )
    with memory.lasting():
        apply_rules(vault, links, report, require_title=options.require_title, store=checked)
    lap("rules")
    with memory.lasting():
        site_map = plan_site(vault, links, options, report)
        G = build_graph(vault, links, site_map)
        data = graph_json_bytes(G)
    lap("graph")
    viewed: ViewedGraph | None = None
    if view is not None:
        with progress.phase("graph", "layout step"), memory.lasting():
            viewed = view_graph(G, data, vault.notes, view, options.existing, memo)
        memory.release()  # the view's temporary graphs and records
        lap("graph_view")
    site = Site(
        vault=vault,
        links=links,
        map=site_map,
        G=G,
        report=report,
        graph_svg=graph_svg(viewed.view) if viewed is not None else "",
    )
    with memory.lasting():
        pages = write_pages(site, data, viewed, memo)
    lap("pages")
    stores = (store, linked, checked)
    notices = tuple(problem for kept in stores if kept for problem in kept.problems)
    identity = viewed.identity if viewed is not None else ""
    return Build(site, pages, viewed.view if viewed else None, timings, identity, notices)

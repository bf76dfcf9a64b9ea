"""What every page is written from: the results of the stages before the pages, in one
frozen `Site` (the vault, its links, the site map, the graph)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from notegraph.core.base.report import Report
from notegraph.core.linker.links import Links
from notegraph.core.sitemap.sitemap import Options, SiteMap
from notegraph.core.vault.notes import Vault

__all__ = ["Site"]


@dataclass(frozen=True)
class Site:
    """What every page is written from: the vault, its links, the site map and the graph."""

    vault: Vault
    links: Links
    map: SiteMap
    G: nx.DiGraph
    report: Report
    graph_svg: str = ""
    """A small drawing of the concept graph for the home page (`home.graph_svg`); "" when
    the site has no graph."""

    @property
    def options(self) -> Options:
        return self.map.options

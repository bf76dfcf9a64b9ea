"""Time the graph page's data (`GraphView.data`) alone: layout and communities are computed
first and not timed; the minimum of five calls.

    python benchmarks/graph_data.py ../shared/corpora/lennyspodcast /tmp/vault-5k
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from notegraph.core.graph.view import GraphView, ViewOptions, aliases_of
from notegraph.core.pipeline import build_site
from notegraph.core.sitemap.sitemap import Options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vaults", type=Path, nargs="+")
    for vault in parser.parse_args().vaults:
        site = build_site(vault, Options(workers=2)).site
        view = GraphView(site.G, ViewOptions(), aliases_of(site.vault.notes))
        view.map, view.communities  # noqa: B018 - computed here, not in the timed calls
        times = []
        for _ in range(5):
            start = time.perf_counter()
            data = view.data()
            times.append(time.perf_counter() - start)
        print(
            f"{vault.name}: {len(data['nodes']['title'])} nodes, {len(data['edges']) // 2} "
            f"edges; data() min {min(times):.3f} s"
        )


if __name__ == "__main__":
    main()

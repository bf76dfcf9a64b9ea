"""CPU seconds of the core alone, in one process: `build_site` with the graph view, then
the Markdown of every page (what a renderer asks for). No MkDocs, no rendering.

    python benchmarks/core_cpu.py ../shared/corpora/lennyspodcast /tmp/vault-5k
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from notegraph.core.graph.view import ViewOptions
from notegraph.core.pipeline import build_site
from notegraph.core.sitemap.sitemap import Options


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vaults", type=Path, nargs="+")
    for vault in parser.parse_args().vaults:
        cpu = time.process_time()
        pages = build_site(vault, Options(workers=1), view=ViewOptions()).pages
        written = [pages.render(uri) for uri in pages]
        print(f"{vault.name}: {len(written)} pages, {time.process_time() - cpu:.1f} s CPU")


if __name__ == "__main__":
    main()

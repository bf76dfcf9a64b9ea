"""What a reader downloads for a first search, in headless Chromium, on a built site.

    python benchmarks/first_search.py SITE_DIR [QUERY ...]

Serves SITE_DIR on 127.0.0.1, opens its home page, types each query into the header search
box (a fresh browser context per query, so nothing is cached) and sums the bytes of every
response fetched from the moment the reader starts typing until the results show. Prints a
table row per query, and the bytes by kind of file (Pagefind's script, WebAssembly, metadata,
index chunks, fragments).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, offline_page, serve  # noqa: E402

RESULTS = "[data-notegraph-search] .md-search-result__item"


def kind(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    for suffix, label in (
        (".pf_fragment", "fragments"),
        (".pf_index", "index chunks"),
        (".pf_meta", "metadata"),
        (".pagefind", "wasm"),
        ("pagefind.js", "pagefind.js"),
        ("pagefind-entry.json", "entry"),
    ):
        if name.endswith(suffix):
            return label
    return "other"


def first_search(browser: Any, base: str, query: str) -> tuple[int, Counter[str], float]:
    tab = offline_page(browser, viewport={"width": 1280, "height": 900})
    tab.page.goto(base)
    tab.page.wait_for_load_state("networkidle")
    sizes: Counter[str] = Counter()

    def count(response: Any) -> None:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return
        sizes[kind(response.url)] += len(body)

    tab.page.on("response", count)
    start = time.perf_counter()
    tab.page.fill(".md-search__input", query)
    tab.page.locator(RESULTS).first.wait_for(state="visible", timeout=60_000)
    seconds = time.perf_counter() - start
    tab.page.wait_for_load_state("networkidle")
    assert not tab.foreign, tab.foreign
    tab.page.context.close()
    return sum(sizes.values()), sizes, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("queries", nargs="*", default=["overview", "kalo", "details examples"])
    args = parser.parse_args()
    pages = sum(1 for _ in args.site.rglob("*.html"))
    bundle = sum(p.stat().st_size for p in (args.site / "pagefind").rglob("*") if p.is_file())
    print(f"machine: {platform.machine()}, Debian Chromium headless; site: {args.site}")
    print(f"{pages} HTML pages, Pagefind bundle {bundle / 2**20:.1f} MB on disk\n")
    print("| query | downloaded (KB) | results shown after (s) | by kind (KB) |")
    print("|---|---:|---:|---|")
    with serve(args.site) as base, chromium() as browser:
        for query in args.queries:
            total, sizes, seconds = first_search(browser, base, query)
            parts = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(sizes.items()))
            print(f"| {query} | {total / 1024:.0f} | {seconds:.2f} | {parts} |")


if __name__ == "__main__":
    main()

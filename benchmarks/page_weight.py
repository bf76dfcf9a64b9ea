"""What a reader's browser downloads to open one page of a built site, in headless Chromium.

    python benchmarks/page_weight.py SITE_DIR [PAGE ...] [--scroll]

Serves SITE_DIR on 127.0.0.1 and opens each PAGE (a path in the site, default: the home
page, a note, a topic and a video page of the lennyspodcast site) in a fresh browser
context, so nothing is cached. From navigation until the network has been idle for half a
second it sums, per request, the bytes transferred (response headers and body, as Chromium
reports them; the test server sends no compression) and the size of the body once gzipped
(what a host that compresses, such as GitHub Pages, would send). With ``--scroll`` it then
scrolls to the bottom of the page and counts again (what a reader who reaches the local
graph downloads). Prints a Markdown table, and the heaviest requests of each page.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser import chromium, offline_page, serve  # noqa: E402

PAGES = (
    "",
    "notes/ai_agents_and_their_impact/",
    "topics/product-management/",
    "videos/",
)
IDLE_MS = 500


@dataclass
class Weight:
    """Bytes of one page load: per request (URL, transferred, gzipped body)."""

    requests: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def transferred(self) -> int:
        return sum(size for _, size, _ in self.requests)

    @property
    def gzipped(self) -> int:
        return sum(size for _, _, size in self.requests)


def _record(weight: Weight, request: Any) -> None:
    response = request.response()
    if response is None:
        return
    sizes = request.sizes()
    try:
        body = response.body()
    except Exception:  # noqa: BLE001 - redirects have no body
        body = b""
    headers = sizes["responseHeadersSize"]
    # Chromium reports 0 for a worker's script: its body is what came over the wire.
    transferred = headers + (sizes["responseBodySize"] or len(body))
    weight.requests.append((request.url, transferred, headers + len(gzip.compress(body, 6))))


def _settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(IDLE_MS)


def weigh(browser: Any, url: str, scroll: bool) -> tuple[Weight, Weight]:
    """Bytes of the first load of `url`, and of what scrolling to its end fetched after."""
    tab = offline_page(browser, viewport={"width": 1366, "height": 900})
    first, later = Weight(), Weight()
    current = first
    tab.page.context.on("requestfinished", lambda request: _record(current, request))
    tab.page.goto(url, wait_until="load")
    _settle(tab.page)
    if scroll:
        current = later
        tab.page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        _settle(tab.page)
    assert not tab.foreign, tab.foreign
    tab.page.context.close()
    return first, later


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("pages", nargs="*", default=list(PAGES))
    parser.add_argument("--scroll", action="store_true", help="then scroll to the bottom")
    parser.add_argument("--top", type=int, default=6, help="heaviest requests listed per page")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Debian Chromium headless, 1366x900; site: {args.site}")
    header = "| page | requests | transferred (KB) | gzipped (KB) |"
    header += " after scrolling (KB) |" if args.scroll else ""
    print(f"\n{header}\n|---|---:|---:|---:|" + ("---:|" if args.scroll else ""))
    details = []
    with serve(args.site) as base, chromium() as browser:
        for page in args.pages:
            first, later = weigh(browser, base + page, args.scroll)
            row = (
                f"| /{page} | {len(first.requests)} | {first.transferred / 1024:.0f} "
                f"| {first.gzipped / 1024:.0f} |"
            )
            row += f" +{later.transferred / 1024:.0f} |" if args.scroll else ""
            print(row)
            heaviest = sorted(first.requests, key=lambda r: -r[1])[: args.top]
            details.append((page, heaviest, base))
    for page, heaviest, base in details:
        print(
            f"\n/{page}: "
            + ", ".join(f"{url.removeprefix(base)} {size / 1024:.0f}" for url, size, _ in heaviest)
        )


if __name__ == "__main__":
    main()

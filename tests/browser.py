"""Helpers for browser tests: serve a built site on 127.0.0.1, drive Debian's Chromium.

A plain module (not a conftest) so that any test module or benchmark can import it::

    from browser import chromium, offline_page, serve

    with serve(site_dir) as base, chromium() as browser:
        tab = offline_page(browser)
        tab.page.goto(base + "graph/")
        ...
        assert not tab.foreign  # every request stayed on 127.0.0.1
        assert not tab.errors  # no uncaught JavaScript error

Without /usr/bin/chromium the tests skip, unless ``NOTEGRAPH_REQUIRE_BROWSER=1`` (CI), in
which case they fail.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"


def require_chromium() -> None:
    """Skip the calling test without Chromium (fail instead when CI requires the browser)."""
    if CHROMIUM.exists():
        return
    if os.environ.get("NOTEGRAPH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and NOTEGRAPH_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path, handler: type[SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """Serve `root` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = ThreadingHTTPServer((LOCAL_HOST, 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright sync API) from /usr/bin/chromium."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page, the requests it tried to send off the machine, and its uncaught JS errors."""

    page: Any
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def offline_page(browser: Any, **context_options: Any) -> Tab:
    """A new page whose requests to any host but 127.0.0.1 are aborted and recorded."""
    context = browser.new_context(**context_options)
    foreign: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or parts.hostname == LOCAL_HOST:
            request_route.continue_()
        else:
            foreign.append(url)
            request_route.abort()

    context.route("**/*", route)
    tab = Tab(context.new_page(), foreign)
    tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab

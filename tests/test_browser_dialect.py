"""Math and diagrams in a real browser: drawn by the site's own KaTeX and Mermaid, offline.

A note with inline and display math and a Mermaid flowchart, and a note with neither, are
built with the default configuration and opened in headless Chromium, whose requests to
any host but 127.0.0.1 are aborted and recorded. The first shows KaTeX's rendering and
Mermaid's SVG; the second requests neither library; no page asks another host for
anything. A page reached by Material's instant navigation draws its math too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from browser import chromium, offline_page, require_chromium, serve
from conftest import write_files

pytestmark = pytest.mark.browser

VAULT = {
    "drawn.md": """\
# Drawn

Euler wrote $e^{i\\pi} + 1 = 0$ and it cost $20-$30 to print.

$$
\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}
$$

```mermaid
graph LR
  Idea --> Draft --> Note
```

Back to [[plain]].
""",
    "plain.md": "# Plain\n\nNo math, no diagram: see [[drawn]].\n",
}
LIBRARIES = ("/vendor/katex/", "/vendor/mermaid/")


@pytest.fixture(scope="module")
def browser(
    tmp_path_factory: pytest.TempPathFactory, build_config: Any
) -> Iterator[tuple[str, Any]]:
    """The vault built with instant navigation (whose sitemap needs `site_url`: where it is
    served), served, and a Chromium."""
    require_chromium()
    root = tmp_path_factory.mktemp("dialect-browser")
    (root / "site").mkdir()
    with serve(root / "site") as base, chromium() as chrome:
        write_files(root, {f"vault/{name}": text for name, text in VAULT.items()})
        write_files(root, {"docs/index.md": "# Home\n\nThe fixture.\n"})
        config = {
            "site_name": "Dialect fixture",
            "site_url": base,
            "docs_dir": "docs",
            "theme": {"name": "material", "font": False, "features": ["navigation.instant"]},
            "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        built = build_config(root / "mkdocs.yml", root / "site", strict=True)
        assert built.warnings == []
        yield base, chrome


def _requests(tab: Any) -> list[str]:
    seen: list[str] = []
    tab.page.on("request", lambda request: seen.append(request.url))
    return seen


def test_math_and_a_diagram_are_drawn_with_no_request_to_another_host(browser):
    base, chrome = browser
    tab = offline_page(chrome)
    seen = _requests(tab)
    tab.page.goto(base + "notes/drawn/")
    tab.page.wait_for_selector(".ng-mermaid svg", timeout=20000)
    tab.page.wait_for_selector(".arithmatex .katex", timeout=20000)
    inline, display = tab.page.locator(".md-content .arithmatex").all()
    assert inline.locator(".katex").count() == 1
    assert display.locator(".katex-display").count() == 1
    assert "20-" in tab.page.locator(".md-content p").first.inner_text()  # money, not math
    labels = tab.page.locator(".ng-mermaid svg").evaluate("svg => svg.textContent")
    assert all(word in labels for word in ("Idea", "Draft", "Note"))
    assert any("/vendor/katex/fonts/" in url for url in seen), "KaTeX's own fonts"
    assert tab.foreign == []
    assert tab.errors == []


def test_a_page_without_math_or_diagrams_loads_neither_library(browser):
    base, chrome = browser
    tab = offline_page(chrome)
    seen = _requests(tab)
    tab.page.goto(base + "notes/plain/")
    tab.page.wait_for_load_state("networkidle")
    assert [url for url in seen if any(lib in url for lib in LIBRARIES)] == []
    assert any(url.endswith("/assets/notegraph/dialect.js") for url in seen)
    assert tab.foreign == []
    assert tab.errors == []


def test_math_is_drawn_on_a_page_reached_by_instant_navigation(browser):
    base, chrome = browser
    tab = offline_page(chrome)
    tab.page.goto(base + "notes/plain/")
    tab.page.wait_for_load_state("networkidle")
    tab.page.evaluate("window.__marker = 1")
    tab.page.locator(".md-content a", has_text="drawn").first.click()
    tab.page.wait_for_selector(".arithmatex .katex", timeout=20000)
    tab.page.wait_for_selector(".ng-mermaid svg", timeout=20000)
    assert tab.page.evaluate("window.__marker") == 1, "the page was reloaded: no instant navigation"
    assert tab.foreign == []
    assert tab.errors == []

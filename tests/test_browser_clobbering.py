"""Issue #12 in a real browser: a note cannot clobber the page's names, an SVG cannot run.

The vault holds the two clobbering notes of the issue (an attribute list ``{: #__config }``
under the JSON of a configuration whose ``base`` is another host, and the same in raw
HTML), a note with a Mermaid block, and every SVG of ``test_svg.CASES`` (the issue's
``<iframe srcdoc>`` with and without a prefix, the XSLT stylesheet, meta refresh,
embed/object, entities, upper case...) plus the issue's pair ``doc.svg`` + ``style.svg``,
and a ``.txt`` and a ``.png`` that hold an HTML page with a script.
Every page and every published attachment is opened from 127.0.0.1 in headless Chromium
with hooks on dialogs, requests and navigations: no dialog may open, no request may go to
another origin (another port of 127.0.0.1 included), no frame may navigate away. A control
test opens the vault's own files, unsanitized, to show the hooks do catch them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml
from browser import chromium, require_chromium, serve
from conftest import write_files
from notegraph.core.vault.svg import clean_svg
from test_svg import CASES

pytestmark = pytest.mark.browser

ATTACKER = "http://127.0.0.1:9977/"
CONFIG_JSON = f'{{"base":"{ATTACKER}","features":[],"translations":{{}}}}'
NS = 'xmlns="http://www.w3.org/2000/svg"'
XSLT = """<?xml version="1.0"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="http://www.w3.org/1999/xhtml">
  <xsl:template match="/">
    <html><body><script>alert('xslt')</script><img src="x" onerror="alert('xslt img')"/>
    </body></html>
  </xsl:template>
</xsl:stylesheet>
"""
SVGS = {f"case{i}.svg": case[1] for i, case in enumerate(CASES)}
SVGS |= {
    "doc.svg": f'<?xml-stylesheet type="text/xsl" href="style.svg"?>\n<svg {NS}/>\n',
    "style.svg": XSLT,
    "META.svg": f'<svg {NS}><H:META xmlns:H="http://www.w3.org/1999/xhtml" '
    'HTTP-EQUIV="refresh" CONTENT="0;url=https://attacker.example/"/></svg>',
    "ent.svg": f'<svg {NS}><a href="&#x6A;avascript&#58;alert(1)"><text>x</text></a></svg>',
}
VAULT: dict[str, str] = {
    "clobber_attr.md": f"# Attribute list\n\n{CONFIG_JSON}\n{{: #__config }}\n\nWombat text.\n",
    "clobber_raw.md": f'# Raw HTML\n\n<div id="__config">{CONFIG_JSON}</div>\n\nWombat too.\n',
    "clobber_heading.md": "# Heading\n\n## __config\n\n## __search\n\nWombat three.\n",
    "mermaid.md": '# Mermaid\n\n<pre class="mermaid">graph TD; A-->B</pre>\n',
    "drawings.md": "# Drawings\n\n" + "\n".join(f"![{n}]({n}) [{n}]({n})" for n in SVGS) + "\n",
    **SVGS,
    # published as they are: a browser shows them as text or an image, never as a page
    "readme.txt": "<html><body><script>alert('txt')</script></body></html>\n",
    "photo.png": "<html><body><script>alert('png')</script></body></html>\n",
}


@dataclass
class Hooked:
    """A tab that records dialogs, requests to another origin and navigations away."""

    page: Any
    origin: str
    dialogs: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    opened: str = ""

    def open(self, url: str) -> None:
        self.opened = url
        self.page.goto(url, wait_until="load", timeout=30_000)
        self.page.wait_for_timeout(300)  # a meta refresh of 0 s, a srcdoc frame's script

    def assert_clean(self) -> None:
        assert self.dialogs == [], "a dialog opened"
        assert self.elsewhere == [], "a request went to another origin"
        assert self.navigations == [], "a frame navigated away"


def hooked(browser: Any, origin: str) -> Hooked:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = Hooked(context.new_page(), origin)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or f"{parts.scheme}://{parts.netloc}" == (
            origin
        ):
            request_route.continue_()
        else:
            tab.elsewhere.append(f"{url} (from {tab.opened})")
            request_route.abort()

    def on_dialog(dialog: Any) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message} on {tab.opened}")
        dialog.dismiss()

    def on_navigated(frame: Any) -> None:
        url = frame.url
        if frame == tab.page.main_frame:
            if url != tab.opened:
                tab.navigations.append(f"{tab.opened} went to {url}")
        elif urlsplit(url).scheme not in ("about", "data", "blob", "") and not url.startswith(
            origin
        ):
            tab.navigations.append(f"a frame of {tab.opened} went to {url}")

    context.route("**/*", route)
    tab.page.on("dialog", on_dialog)
    tab.page.on("framenavigated", on_navigated)
    tab.page.on("popup", lambda popup: tab.navigations.append(f"popup {popup.url}"))
    return tab


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> Path:
    require_chromium()
    root = tmp_path_factory.mktemp("clobbering")
    write_files(root / "vault", VAULT)
    write_files(root, {"docs/index.md": "# Home\n\nWritten by hand.\n"})
    config = {
        "site_name": "Clobbering",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},  # no Google Fonts: the site is offline
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return build_config(root / "mkdocs.yml", root / "site").site_dir


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Any, base: str) -> Iterator[Hooked]:
    opened = hooked(browser, base.rstrip("/"))
    yield opened
    opened.page.context.close()


def published(site: Path) -> list[str]:
    """Every page and every published attachment, as URLs relative to the site."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    files = sorted(
        p.relative_to(site).as_posix()
        for p in (site / "notes").rglob("*")
        if p.is_file() and p.suffix != ".html"
    )
    return pages + files


PROVOKE = """() => {
  let fired = 0;
  for (const element of document.querySelectorAll("*")) {
    for (const name of ["click", "mouseover", "focus", "load", "error", "animationstart"]) {
      if (name === "click" && element.closest("a[href], button, summary")) continue;
      element.dispatchEvent(new Event(name, {bubbles: false}));
      fired++;
    }
  }
  return fired;
}"""


def test_every_page_and_attachment_opens_without_dialog_request_or_navigation(site, base, tab):
    urls = published(site)
    svgs = [u for u in urls if u.endswith(".svg")]
    readable = [n for n, svg in SVGS.items() if clean_svg(svg.encode()).data is not None]
    assert svgs == sorted(f"notes/{name}" for name in readable)
    assert "notes/doc.svg" in svgs and "notes/style.svg" not in svgs
    fired = 0
    for url in urls:
        tab.open(base + quote(url))
        fired += tab.page.evaluate(PROVOKE)
    assert fired > 0
    tab.assert_clean()


@pytest.mark.parametrize("note", ["clobber_attr", "clobber_raw", "clobber_heading"])
def test_the_config_both_scripts_read_is_materials_and_search_still_works(base, tab, note):
    tab.open(f"{base}notes/{note}/")
    config = tab.page.evaluate(
        """() => { const e = document.getElementById("__config");
                   return [e.tagName, e.type, JSON.parse(e.textContent).base]; }"""
    )
    assert config[:2] == ["SCRIPT", "application/json"]
    assert config[2] != ATTACKER
    tab.page.click(".md-search__input")
    tab.page.fill(".md-search__input", "wombat")
    items = tab.page.locator("[data-notegraph-search] .md-search-result__item")
    items.first.wait_for(timeout=20_000)
    assert items.count() == 3
    tab.page.wait_for_timeout(300)
    tab.assert_clean()


def test_a_mermaid_block_loads_nothing_from_a_cdn(base, tab):
    tab.open(f"{base}notes/mermaid/")
    assert "graph TD" in tab.page.inner_text("article")
    tab.assert_clean()


def test_the_hooks_catch_the_unsanitized_files(site, browser):
    """Control: the vault's own SVGs, served as they are, do run and navigate."""
    vault = site.parent / "vault"
    with serve(vault) as raw:
        tab = hooked(browser, raw.rstrip("/"))
        names = {case[0]: f"case{i}.svg" for i, case in enumerate(CASES)}
        for case in ("xhtml iframe srcdoc", "prefixed h:iframe"):
            tab.open(raw + names[case])
        tab.open(raw + "doc.svg")  # the XSLT transform of style.svg
        ran = list(tab.dialogs)
        tab.open(raw + names["meta refresh"])
        tab.page.context.close()
    assert [d.split(" on ")[1].rsplit("/", 1)[1] for d in ran] == [
        names["xhtml iframe srcdoc"],
        names["prefixed h:iframe"],
        "doc.svg",
        "doc.svg",
    ]
    assert tab.navigations or tab.elsewhere, "meta refresh went nowhere"

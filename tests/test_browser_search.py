"""The header search box in a real browser, answered by Pagefind.

A fixture site is built in tmp_path and served on 127.0.0.1 by a server that counts the bytes
it sends, once at the root with directory URLs and once from a sub-path with ``.html`` URLs.
Every test fails if the page requests anything from another host or throws a JS error.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from browser import Tab, chromium, offline_page, require_chromium, serve
from conftest import write_files

pytestmark = pytest.mark.browser

VAULT = {
    "alpha.md": "# Alpha note\n\nAlpha is about zanzibarite crystals.\n",
    "beta.md": "---\ntitle: Beta & <Co>\n---\n\nBeta cites [[Alpha note]] and [[Gamma topic]] "
    "with quokkaphile and `<b>bold</b>` in code.\n",
    "talks/lecture.md": "---\ntitle: Lecture notes\nvideoId: dQw4w9WgXcQ\n---\n\n"
    'The speaker explains marsupialite <a class="yt-timestamp" data-t="00:01:05">'
    "[00:01:05]</a>.\n",
    # Ranking: a note titled exactly as the query, notes before a topic with the same words.
    "space/orbit_long.md": "# Orbit resonance in planetary orbits\n\nOrbit resonance locks "
    "one orbit to another orbit; a resonant orbit repeats.\n",
    "space/orbit.md": "# Orbit\n\nA path around a star, studied in [[Orbit theory]].\n",
    "space/kepler.md": "# Kepler\n\nKepler measured each orbit and wrote [[Orbit theory]].\n",
}
FIRST_SEARCH_LIMIT = 1_000_000  # bytes of /pagefind/ for the first search
RESULTS = "[data-notegraph-search] .md-search-result__item"


@dataclass
class Traffic:
    """Bytes the server sent, by request path."""

    sent: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent[path] = self.sent.get(path, 0) + size

    def pagefind(self) -> int:
        with self.lock:
            return sum(size for path, size in self.sent.items() if "/pagefind/" in path)

    def clear(self) -> None:
        with self.lock:
            self.sent.clear()


class _CountingHandler(SimpleHTTPRequestHandler):
    traffic: Traffic

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        self.traffic.add(urlsplit(self.path).path, len(data))


def serve_counting(root: Path, traffic: Traffic) -> AbstractContextManager[str]:
    return serve(root, type("Handler", (_CountingHandler,), {"traffic": traffic}))


@dataclass
class Served:
    base: str  # URL of the site root
    use_directory_urls: bool
    traffic: Traffic
    browser: Any

    def url(self, src_uri: str) -> str:
        stem = src_uri.removesuffix(".md")
        if stem == "index":
            return self.base if self.use_directory_urls else f"{self.base}index.html"
        return urljoin(self.base, f"{stem}/" if self.use_directory_urls else f"{stem}.html")


@pytest.fixture(
    scope="module",
    params=[("", True, 100), ("docs/sub/", False, 100), ("docs/shards/", True, 0.005)],
    ids=["root-directory-urls", "subpath-file-urls", "one-bundle-per-page"],
)
def served(request, tmp_path_factory, build_config) -> Iterator[Served]:
    require_chromium()
    prefix, use_directory_urls, shard_mb = request.param
    root = tmp_path_factory.mktemp("search-browser")
    write_files(root / "vault", VAULT)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe fixture.\n", encoding="utf-8")
    traffic = Traffic()
    with serve_counting(root / "www", traffic) as server, chromium() as browser:
        base = server + prefix
        config = {
            "site_name": "Search fixture",
            "site_url": base,  # instant navigation follows the links of sitemap.xml
            "docs_dir": "docs",
            "use_directory_urls": use_directory_urls,
            "theme": {
                "name": "material",
                "font": False,
                "features": ["navigation.instant", "search.highlight"],
            },
            "plugins": [
                "search",
                {"notegraph": {"notes_dir": "vault", "search_shard_mb": shard_mb}},
            ],
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        build_config(root / "mkdocs.yml", root / "www" / prefix)
        shards = (root / "www" / prefix / "pagefind" / "shards.json").read_text()
        assert (shards != "[]") == (shard_mb < 1), shards  # the search box merges them all
        yield Served(base, use_directory_urls, traffic, browser)


@pytest.fixture
def tab(served: Served) -> Iterator[Tab]:
    tab = offline_page(served.browser, viewport={"width": 1280, "height": 900})
    yield tab
    tab.page.context.close()
    assert not tab.foreign, tab.foreign
    assert not tab.errors, tab.errors


def search(tab: Tab, query: str) -> Any:
    """Type `query` into the header search box; the result items once they show."""
    items = tab.page.locator(RESULTS)
    tab.page.fill(".md-search__input", "")  # results of an earlier query go first
    items.first.wait_for(state="detached", timeout=15_000)
    tab.page.fill(".md-search__input", query)
    items.first.wait_for(state="visible", timeout=15_000)
    return items


def without_query(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0]


def test_typing_a_note_title_finds_the_note_and_links_to_it(served, tab, record_property):
    tab.page.goto(served.url("notes/beta.md"))
    served.traffic.clear()
    items = search(tab, "Alpha note")
    link = items.filter(has_text="Alpha note").first.locator("a")
    href = link.evaluate("a => a.href")
    assert without_query(href) == served.url("notes/alpha.md")
    first_search = served.traffic.pagefind()
    record_property("first_search_bytes", first_search)
    print(f"first search downloaded {first_search} bytes of /pagefind/")
    assert 0 < first_search < FIRST_SEARCH_LIMIT
    # Material's own result list (the worker's) stays hidden, ours shows Material's markup.
    assert tab.page.locator(".md-search-result__list:visible").count() == 1
    assert items.first.locator("article.md-search-result__article h1").count() == 1


def test_a_topic_and_a_video_are_found(served, tab):
    tab.page.goto(served.url("index.md"))
    items = search(tab, "Gamma topic")
    hrefs = [without_query(h) for h in items.locator("a").evaluate_all("a => a.map(x => x.href)")]
    assert served.url("topics/gamma-topic.md") in hrefs
    items = search(tab, "Lecture notes")  # the video's title (its note's, with no hub)
    hrefs = [without_query(h) for h in items.locator("a").evaluate_all("a => a.map(x => x.href)")]
    assert any("/videos/" in h for h in hrefs), hrefs
    assert served.url("notes/talks/lecture.md") in hrefs


def test_clicking_a_result_navigates_there(served, tab):
    tab.page.goto(served.url("index.md"))
    search(tab, "zanzibarite").filter(has_text="Alpha note").first.click()
    tab.page.wait_for_url(lambda url: without_query(url) == served.url("notes/alpha.md"))
    assert tab.page.locator("article h1").first.inner_text() == "Alpha note"
    # After Material's instant navigation the box still answers.
    titles = search(tab, "quokkaphile").locator("h1").all_inner_texts()
    assert titles == ["Beta & <Co>"], "the sentence is found once, on its own note"


def test_titles_and_excerpts_are_text_with_only_mark_kept(served, tab):
    tab.page.goto(served.url("index.md"))
    items = search(tab, "bold")
    beta = items.filter(has=tab.page.locator("h1", has_text="Beta & <Co>")).first
    assert beta.locator("h1").inner_text() == "Beta & <Co>"
    excerpt = beta.locator("article > p")
    tags = excerpt.evaluate("p => [...p.querySelectorAll('*')].map(e => e.tagName)")
    assert tags and set(tags) == {"MARK"}
    assert "<b>bold</b>" in excerpt.inner_text()


def test_enter_opens_the_best_result(served, tab):
    tab.page.goto(served.url("index.md"))
    best = without_query(search(tab, "zanzibarite").first.locator("a").first.get_attribute("href"))
    assert best == served.url("notes/alpha.md")
    tab.page.press(".md-search__input", "Enter")
    tab.page.wait_for_url(lambda url: without_query(url) == best)


def test_a_note_titled_as_the_query_comes_first_and_notes_before_topics(served, tab):
    tab.page.goto(served.url("index.md"))
    items = search(tab, "orbit")
    tab.page.wait_for_timeout(300)  # the whole first batch
    hrefs = [without_query(h) for h in items.locator("a").evaluate_all("a => a.map(x => x.href)")]
    assert hrefs[0] == served.url("notes/space/orbit.md")
    # A note and a topic both titled with the word: the note first.
    topic, note = served.url("topics/orbit-theory.md"), served.url("notes/space/orbit_long.md")
    assert hrefs.index(note) < hrefs.index(topic), hrefs
    summary = items.filter(has=tab.page.locator("h1", has_text="Orbit theory")).locator("p")
    assert summary.inner_text().startswith("Topic · 2 mentions in 2 notes")


def test_excerpts_are_the_notes_words_not_their_title(served, tab):
    tab.page.goto(served.url("index.md"))
    item = search(tab, "zanzibarite").filter(has=tab.page.locator("h1", has_text="Alpha note"))
    assert item.locator("p").inner_text().startswith("Alpha is about")


def test_no_page_loads_material_search_worker_or_index(served, tab):
    served.traffic.clear()
    tab.page.goto(served.url("notes/beta.md"))
    tab.page.wait_for_load_state("networkidle")
    search(tab, "zanzibarite")
    loaded = list(served.traffic.sent)
    assert any(path.endswith("search-worker.js") for path in loaded), loaded
    assert not [p for p in loaded if "search_index" in p or "/workers/" in p], loaded


def test_a_result_opens_its_page_with_the_words_highlighted(served, tab):
    tab.page.goto(served.url("index.md"))
    search(tab, "marsupialite").filter(has_text="Lecture notes").first.click()
    tab.page.wait_for_url(lambda url: "h=marsupialite" in url)
    marks = tab.page.locator("article mark[data-md-highlight]")
    marks.first.wait_for(state="attached", timeout=5_000)
    assert marks.all_inner_texts() == ["marsupialite"]

"""Search with Pagefind: a whole site built in tmp_path, then its index read back.

Pagefind's fragments (one per indexed page: URL, title, indexed text) are gzipped JSON behind
a ``pagefind_dcd`` signature, so the tests can read exactly what a search can return.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Built, write_files
from mkdocs.commands.build import build
from mkdocs.config import load_config
from notegraph.search.pagefind import mark_page

VAULT = {
    "alpha.md": "# Alpha note\n\nAlpha is about zanzibarite crystals.\n",
    "beta.md": "---\ntitle: Beta & <Co>\n---\n\nBeta cites [[Alpha note]] beside wombatish "
    "words, and [[Gamma topic]] with quokkaphile.\n",
    "talks/lecture.md": "---\ntitle: Lecture notes\nvideoId: dQw4w9WgXcQ\n---\n\n"
    'The speaker explains marsupialite <a class="yt-timestamp" data-t="00:01:05">'
    "[00:01:05]</a>.\n",
}


def write_project(root: Path, search: str = "pagefind", use_directory_urls: bool = True) -> Path:
    write_files(root / "vault", VAULT)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Fixture home\n\nHand-written homepage.\n")
    config = {
        "site_name": "Search fixture",
        "docs_dir": "docs",
        "use_directory_urls": use_directory_urls,
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"notegraph": {"notes_dir": "vault", "search": search}}],
        "markdown_extensions": ["attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def fragments(site_dir: Path) -> dict[str, dict[str, Any]]:
    """Every page in the Pagefind index, by URL: ``{"content": ..., "meta": {"title": ...}}``."""
    return bundle_fragments(site_dir / "pagefind")


def bundle_fragments(bundle: Path) -> dict[str, dict[str, Any]]:
    pages = {}
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        pages[fragment["url"]] = fragment
    return pages


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def built(request, tmp_path_factory, build_config) -> Built:
    root = tmp_path_factory.mktemp("search")
    return build_config(write_project(root, use_directory_urls=request.param), root / "site")


@pytest.fixture(scope="module")
def index(built: Built) -> dict[str, dict[str, Any]]:
    return fragments(built.site_dir)


def url(built: Built, src_uri: str) -> str:
    return "/" + built.url(src_uri)


def test_index_has_the_browser_bundle_and_the_build_no_warning(built):
    bundle = built.site_dir / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))
    assert list((bundle / "index").glob("*.pf_index"))
    assert not built.warnings
    assert (built.site_dir / "assets" / "notegraph" / "search.js").is_file()
    assert "assets/notegraph/search.js" in built.page("index.md").read_text()


@pytest.mark.parametrize(
    ("src_uri", "title", "word"),
    [
        ("notes/alpha.md", "Alpha note", "zanzibarite"),
        ("notes/beta.md", "Beta & <Co>", "quokkaphile"),
        ("notes/talks/lecture.md", "Lecture notes", "marsupialite"),
        ("topics/gamma-topic.md", "Gamma topic", "Gamma"),
        ("index.md", "Fixture home", "homepage"),
    ],
)
def test_notes_topics_and_pages_are_indexed_with_their_titles(built, index, src_uri, title, word):
    page = index[url(built, src_uri)]
    assert page["meta"]["title"] == title
    assert word in page["content"]


def test_video_pages_are_indexed_by_title(built, index):
    videos = [u for u in index if u.startswith("/videos/")]
    assert len(videos) == 1
    assert index[videos[0]]["content"] == "Lecture notes."
    assert index[videos[0]]["meta"]["summary"] == "Video · 1 moment from 1 note"


def test_sentences_are_indexed_once_on_their_own_note(built, index):
    """Topic and video pages list other notes' sentences: search finds those on the notes."""
    topic = index[url(built, "topics/gamma-topic.md")]["content"]
    assert topic == "Gamma topic."
    holders = [u for u, page in index.items() if "marsupialite" in page["content"]]
    assert holders == [url(built, "notes/talks/lecture.md")]


def test_listings_graph_and_404_are_not_indexed(built, index):
    for prefix in ("/tags/", "/az/", "/graph/", "/404"):
        assert not [u for u in index if u.startswith(prefix)], prefix
    for section in ("notes/index.md", "topics/index.md"):
        assert url(built, section) not in index


def test_chrome_is_not_indexed(built, index):
    alpha = index[url(built, "notes/alpha.md")]["content"]
    assert "wombatish" not in alpha  # Beta's sentence in Alpha's backlinks
    assert "Backlinks" not in alpha
    assert "¶" not in alpha
    for page in index.values():
        for chrome in ("Skip to content", "Search fixture", "Table of contents", "Made with"):
            assert chrome not in page["content"], (page["url"], chrome)


def test_material_search_indexes_nothing(built):
    data = json.loads((built.site_dir / "search" / "search_index.json").read_text())
    assert data["docs"] == []


def test_two_builds_give_identical_indexes(built, tmp_path, build_config):
    again = build_config(
        write_project(tmp_path, use_directory_urls=built.use_directory_urls), tmp_path / "site"
    )
    first = tree_digest(built.site_dir / "pagefind")
    assert tree_digest(again.site_dir / "pagefind") == first
    assert len(first) > 10


def test_material_mode_leaves_material_search_alone(tmp_path, build_config):
    built = build_config(write_project(tmp_path, search="material"), tmp_path / "site")
    assert not (built.site_dir / "pagefind").exists()
    data = json.loads((built.site_dir / "search" / "search_index.json").read_text())
    assert any("zanzibarite" in doc["text"] for doc in data["docs"])
    page = built.page("notes/alpha.md").read_text()
    assert "data-pagefind-body" not in page
    assert "assets/notegraph/search.js" not in page


ARTICLE = '<article class="md-content__inner md-typeset"'
META = ' data-pagefind-body data-pagefind-meta="title[data-ng-title], kind[data-ng-kind]"'


def body(title: str, kind: str) -> str:
    return f'{ARTICLE}{META} data-ng-title="{title}" data-ng-kind="{kind}">'


@pytest.mark.parametrize(
    ("html", "kind", "title", "expected"),
    [
        (  # a note: its title is metadata, its heading left out of the text
            f"{ARTICLE}><h1>T &amp; U</h1><h1>V</h1>",
            "note",
            "T & U",
            f"{body('T &amp; U', 'note')}<h1 data-pagefind-ignore>T &amp; U</h1><h1>V</h1>",
        ),
        (  # a note whose first heading says something else: the heading stays text
            f"{ARTICLE}><h1>Other words</h1>",
            "note",
            "Title",
            f"{body('Title', 'note')}<h1>Other words</h1>",
        ),
        (  # a topic: its title is its only text, weighted below a note's words
            f'{ARTICLE}><h1 id="t">T<a class="headerlink">¶</a></h1>'
            '<p class="ng-kind">Topic · 1 mention</p>',
            "topic",
            None,
            f'{body("T", "topic")}<h1 data-pagefind-weight="0.5" id="t">T'
            '<a class="headerlink">¶</a></h1>'
            '<p class="ng-kind" data-pagefind-ignore data-pagefind-meta="summary">'
            "Topic · 1 mention</p>",
        ),
        (
            f"<h1>Outside</h1>{ARTICLE}><p>x</p>",
            "page",
            "Page",
            f"<h1>Outside</h1>{body('Page', 'page')}<p>x</p>",
        ),
        (f"{ARTICLE}><h1x>", "video", "V", f"{body('V', 'video')}<h1x>"),
        ("<p>no article</p>", "note", "N", "<p>no article</p>"),
    ],
)
def test_mark_page(html, kind, title, expected):
    assert mark_page(html, kind, title) == expected


def test_pages_load_no_material_search_worker_or_index(built):
    """Pagefind answers: Material's search box starts an empty worker and fetches no index."""
    for page in (built.page("notes/alpha.md"), built.page("index.md"), built.site_dir / "404.html"):
        html = page.read_text(encoding="utf-8")
        assert "assets/javascripts/workers/search" not in html, page
        assert 'name="search"' not in html, page  # Material fetches its index for that form
        assert "assets/notegraph/search-worker.js" in html, page
    assert (built.site_dir / "assets" / "notegraph" / "search-worker.js").stat().st_size < 300


def test_excerpts_leave_out_timestamps_and_the_from_line(tmp_path, build_config):
    root = tmp_path / "p"
    config = write_project(root)
    write_files(
        root / "vault",
        {
            "channel.md": "# Channel\n\nThe hub.\n",
            "episode.md": "---\ntitle: Episode\nvideoId: dQw4w9WgXcQ\n---\n\n"
            "From: [[channel]] <br/>\n\nThe guest praises ocelots "
            '<a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>.\n',
        },
    )
    index = fragments(build_config(config, tmp_path / "site").site_dir)
    content = index["/notes/episode/"]["content"]
    assert "ocelots" in content
    assert "00:01:05" not in content and "From" not in content and "Episode" not in content
    assert index["/notes/episode/"]["meta"] == {"title": "Episode", "kind": "note"}
    topic = index["/topics/gamma-topic/"]["meta"]
    assert topic["kind"] == "topic" and topic["summary"].startswith("Topic · 1 mention in 1 note")


def test_under_serve_search_is_indexed_in_the_background(tmp_path):
    """Live preview does not wait for Pagefind: the index follows, swapped in whole."""
    config_file = write_project(tmp_path)
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    plugin = config.plugins["notegraph"]
    plugin.search.background.wait()
    assert plugin.search.background.error is None
    site = tmp_path / "site"
    assert "zanzibarite" in json.dumps(fragments(site))
    (tmp_path / "vault" / "alpha.md").write_text("# Alpha note\n\nNow about yttrium.\n")
    config = load_config(str(config_file), site_dir=str(site))
    assert config.plugins["notegraph"] is plugin  # serve keeps plugins that define on_startup
    build(config, dirty=True)
    plugin.on_shutdown()  # waits for the indexing
    index = json.dumps(fragments(site))
    assert "yttrium" in index and "zanzibarite" not in index
    assert sorted(p.name for p in site.iterdir() if "pagefind" in p.name) == ["pagefind"]


def test_a_save_during_indexing_is_indexed_after_it(monkeypatch):
    """Saves never wait for search, and the last one always gets indexed."""
    import threading

    from notegraph.search import pagefind as search

    started, release, done = threading.Event(), threading.Event(), []

    def slow_index(site_dir, **options):
        started.set()
        release.wait(5)
        done.append(site_dir)
        return search.Indexed(pages=1, words=1, output=site_dir / "pagefind")

    monkeypatch.setattr(search, "index_site", slow_index)
    background = search.BackgroundIndex()
    background.start(Path("first"), use_directory_urls=True)
    assert started.wait(5)
    background.start(Path("second"), use_directory_urls=True)  # returns at once
    background.start(Path("third"), use_directory_urls=True)  # only the last save matters
    release.set()
    background.wait()
    assert done == [Path("first"), Path("third")]


def test_a_big_site_is_indexed_in_runs_each_its_own_bundle(built, tmp_path, build_config):
    """Pagefind's memory is bounded by `search_shard_mb`: several runs, several bundles,
    every searched page in exactly one of them, the same bytes from one build to the next."""
    config_file = write_project(tmp_path, use_directory_urls=built.use_directory_urls)
    config = yaml.safe_load(config_file.read_text())
    config["plugins"][1]["notegraph"]["search_shard_mb"] = 0.02  # ~20 KB: a page or two a run
    config_file.write_text(yaml.safe_dump(config))
    sharded = build_config(config_file, tmp_path / "site")
    shards = json.loads((sharded.site_dir / "pagefind" / "shards.json").read_text())
    assert len(shards) >= 2
    bundles = [sharded.site_dir / "pagefind", *(sharded.site_dir / path for path in shards)]
    urls = [url for bundle in bundles for url in bundle_fragments(bundle)]
    assert sorted(urls) == sorted(fragments(built.site_dir))  # each page, in one bundle
    assert not list(sharded.site_dir.glob(".pagefind*"))  # no staging left behind
    again = build_config(config_file, tmp_path / "again")
    assert tree_digest(again.site_dir / "pagefind") == tree_digest(sharded.site_dir / "pagefind")


def test_pages_an_incremental_build_left_alone_are_not_read_again(tmp_path, monkeypatch):
    """Deciding which Pagefind runs to keep reads only the pages written since the last
    index: on a site of 47,000 pages the others are gigabytes of HTML."""
    from notegraph.search import pagefind

    site = tmp_path / "site"
    pages = []
    for number in range(6):
        page = site / f"notes/n{number}/index.html"
        page.parent.mkdir(parents=True)
        body = f"<h1>Note {number}</h1><p>{'quokka ' * 300} number{number}</p>"
        page.write_text(mark_page(f"<html><body>{body}</body></html>", "note", f"Note {number}"))
        pages.append(page.relative_to(site).as_posix())
    runs_file = tmp_path / "cache" / "runs.json"

    def index():
        return pagefind.index_site(site, pages=pages, shard_bytes=4000, runs_file=runs_file)

    first = index()
    assert first.runs >= 3 and first.kept == 0
    read: list[str] = []
    real = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.suffix == ".html":
            read.append(path.relative_to(site).as_posix())
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    again = index()
    assert (again.kept, read) == (first.runs, [])
    changed = site / pages[0]
    changed.write_text(changed.read_text().replace("number0", "numbre0"))  # same size
    third = index()
    assert read == [pages[0]]
    assert third.kept == first.runs - 1 and third.pages == first.pages

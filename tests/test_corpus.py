"""The real vault beside the repository (../shared/corpora/lennyspodcast), built end to end.

1,026 notes exported from a video wiki, with every quirk real vaults have: Title-Case links
to snake_case files, targets that exist nowhere, links in tables and code, raw HTML. The
build must finish, leave no broken internal link and no wikilink unrendered.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import notegraph
import pytest
from htmltree import Element, broken_links, parse
from notegraph.core.base.names import fold
from notegraph.core.base.report import Report
from notegraph.core.vault.notes import load_vault

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "lennyspodcast"
PACKAGES = Path(notegraph.__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpora is not here")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    workdir = tmp_path_factory.mktemp("corpus")
    site = workdir / "site"
    result = subprocess.run(
        [sys.executable, "-m", "notegraph.cli", "build", str(CORPUS), "-d", str(site)],
        cwd=workdir,
        capture_output=True,
        text=True,
        # the notegraph these tests import (a worktree's, not another checkout's install)
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(PACKAGES)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return site, result.stderr


def _prose_texts(element: Element) -> list[str]:
    """Text nodes of an element outside code blocks and inline code."""
    if element.tag in ("code", "pre", "script", "style"):
        return []
    texts: list[str] = []
    for child in element.children:
        texts += [child] if isinstance(child, str) else _prose_texts(child)
    return texts


def _outside(element: Element, skip: set[str]) -> list[Element]:
    """Elements under `element` outside code and outside elements of the classes `skip`."""
    found: list[Element] = []
    for child in element.children:
        if isinstance(child, str) or child.tag in ("code", "pre") or child.classes & skip:
            continue
        found += [child, *_outside(child, skip)]
    return found


def test_summary_counts_every_note(built: tuple[Path, str]) -> None:
    _, log = built
    summary = re.search(r"built ([\d,]+) notes, ([\d,]+) links resolved, ([\d,]+) topic pages", log)
    assert summary, log[-2000:]
    notes, resolved, topics = (int(n.replace(",", "")) for n in summary.groups())
    assert notes == len(list(CORPUS.glob("*.md")))
    assert resolved > notes and topics > 0


def test_no_internal_link_is_broken(built: tuple[Path, str]) -> None:
    site, _ = built
    assert broken_links(site) == []


def test_every_wikilink_outside_code_is_rendered(built: tuple[Path, str]) -> None:
    site, _ = built
    leftovers = []
    for page in sorted((site / "notes").rglob("index.html")):
        if any("[[" in text for text in _prose_texts(parse(page))):
            leftovers.append(page.relative_to(site).as_posix())
    assert leftovers == []


def test_no_topic_page_stands_for_an_existing_note(built: tuple[Path, str]) -> None:
    """Title-Case links to snake_case files resolve: no topic shadows a note's name."""
    site, _ = built
    graph = json.loads((site / "graph.json").read_text(encoding="utf-8"))
    names = {fold(Path(node["id"]).stem) for node in graph["nodes"] if node["kind"] == "note"}
    names |= {fold(node["title"]) for node in graph["nodes"] if node["kind"] == "note"}
    shadows = [
        n["title"] for n in graph["nodes"] if n["kind"] == "topic" and fold(n["title"]) in names
    ]
    assert shadows == []
    assert sum(1 for node in graph["nodes"] if node["kind"] == "note") == len(
        list(CORPUS.glob("*.md"))
    )


def test_every_valid_timestamp_becomes_a_play_link(built: tuple[Path, str]) -> None:
    """No raw `yt-timestamp` anchor is left on a note page, and each page's own stamps (not
    those of its backlinks or of embedded notes) are as many play links as the notes hold
    valid stamps in notes with a video."""
    site, _ = built
    vault = load_vault(CORPUS, Report())
    expected = sum(
        1
        for note in vault.notes.values()
        if note.video is not None and (note.video.youtube or note.video.src)
        for stamp in note.stamps
        if stamp.seconds is not None
    )
    leftovers, links = set(), 0
    for page in sorted((site / "notes").rglob("index.html")):
        tree = parse(page)
        if any(e.tag == "a" and "yt-timestamp" in e.classes for e in _outside(tree, set())):
            leftovers.add(page.relative_to(site).as_posix())
        body = _outside(tree, {"ng-backlinks", "ng-embed"})
        links += sum(1 for e in body if e.tag == "a" and "ng-stamp" in e.classes)
    assert sorted(leftovers) == []
    assert expected > 0
    assert links == expected


# --- reading the site: topic titles, search ------------------------------------------------------

_WIKILINK_TARGET = re.compile(r"\[\[([^\]|#^]+)")


def test_no_topic_title_keeps_underscores_that_a_link_spells_as_words(
    built: tuple[Path, str],
) -> None:
    site, _ = built
    spelled_as_words = {
        fold(target)
        for note in CORPUS.glob("*.md")
        for target in _WIKILINK_TARGET.findall(note.read_text(encoding="utf-8"))
        if " " in target.strip()
    }
    titles = [parse(page).one("h1").text for page in sorted((site / "topics").glob("*/index.html"))]
    assert len(titles) > 300
    snake = [t for t in titles if "_" in t and fold(t) in spelled_as_words]
    assert snake == []
    assert sum("_" in t for t in titles) < 10  # only spellings no link writes otherwise


EXACT_TITLES = (  # common words, each the whole title of one note
    "AI Agents and Their Impact",
    "Product management career growth framework",
    "Strategies for setting and deploying effective product strategies",
    "Adapting presentations for remote audiences",
)


@pytest.mark.browser
def test_searching_a_notes_exact_title_finds_that_note_first(built: tuple[Path, str]) -> None:
    from browser import chromium, offline_page, require_chromium, serve

    require_chromium()
    site, _ = built
    results = "[data-notegraph-search] .md-search-result__item"
    with serve(site) as base, chromium() as browser:
        tab = offline_page(browser, viewport={"width": 1280, "height": 900})
        tab.page.goto(base)
        for title in EXACT_TITLES:
            page = next(
                p for p in (site / "notes").glob("*/index.html") if parse(p).one("h1").text == title
            )
            expected = base + page.parent.relative_to(site).as_posix() + "/"
            items = tab.page.locator(results)
            tab.page.fill(".md-search__input", "")
            items.first.wait_for(state="detached", timeout=15_000)
            tab.page.fill(".md-search__input", title)
            items.first.wait_for(state="visible", timeout=30_000)
            tab.page.wait_for_timeout(500)  # the whole first batch
            first = items.first.locator("a").first.evaluate("a => a.href")
            assert first.split("?")[0].split("#")[0] == expected, (title, first)
        assert not tab.foreign and not tab.errors, (tab.foreign, tab.errors)
        tab.page.context.close()

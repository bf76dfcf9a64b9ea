"""Live preview: a save re-reads only what changed, and every cross-page effect follows.

Under ``mkdocs serve`` / ``notegraph serve`` the plugin rebuilds on every save, in one
process. Notes come from the parse cache (`parsecache.PARSES`) unless their text changed; an
edit, a new note, a rename and a deletion must still update links, backlinks, topic pages and
the graph. First the core (`build_site`), then real MkDocs rebuilds the way ``serve`` runs them.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from notegraph.core.pipeline import Build, build_site
from notegraph.core.vault.notes import parse_note
from notegraph.core.vault.parsecache import PARSES

ALPHA = "---\ntitle: Alpha\n---\nAlpha builds on [[Beta]] and on [[Gamma]].\n"
NOTES = {
    "alpha.md": ALPHA,
    "beta.md": "---\ntitle: Beta\n---\n## Details\n\nBeta stands alone.\n",
    "people/carol.md": "---\ntitle: Carol\n---\nCarol wrote [[Alpha]].\n",
}


def write(vault: Path, rel: str, text: str) -> None:
    path = vault / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def edges(built: Build) -> set[tuple[str, str]]:
    data = json.loads(built.pages.files["graph.json"])
    return {(edge["source"], edge["target"]) for edge in data["edges"]}


def page(built: Build, note_id: str) -> str:
    return built.pages.page_text(built.site.map.note_uri[note_id])  # type: ignore[index]


def backlinks(built: Build, note_id: str) -> str:
    """The backlinks section of a note's page ('' when it has none)."""
    text = page(built, note_id)
    return text[text.index("## Backlinks") :] if "## Backlinks" in text else ""


class Parses:
    """Counts the notes parsed (not served from the cache) since the last call."""

    def __init__(self) -> None:
        self.seen = PARSES.parses

    def __call__(self) -> int:
        count, self.seen = PARSES.parses - self.seen, PARSES.parses
        return count


def test_core_rebuilds_follow_edits_adds_renames_and_deletes(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    for rel, text in NOTES.items():
        write(vault, rel, text)
    parses = Parses()
    built = build_site(vault)
    site = built.site
    assert parses() == 3
    assert "Alpha" in backlinks(built, "beta.md")
    assert {"beta.md", "topic:gamma"} <= {t for s, t in edges(built) if s == "alpha.md"}
    assert "gamma" in site.map.topic_uri

    # Unchanged vault: nothing is parsed again, the very same Note objects come back.
    before = dict(site.vault.notes)
    built = build_site(vault)
    site = built.site
    assert parses() == 0
    assert all(site.vault.notes[n] is before[n] for n in before)

    # Edit: Alpha now links Carol instead of Beta. One parse; Beta loses its backlink.
    write(vault, "alpha.md", ALPHA.replace("[[Beta]]", "[[Carol]]"))
    built = build_site(vault)
    site = built.site
    assert parses() == 1
    assert site.vault.notes["beta.md"] is before["beta.md"]
    assert backlinks(built, "beta.md") == ""
    assert "Alpha" in backlinks(built, "people/carol.md")
    assert ("alpha.md", "beta.md") not in edges(built)
    assert ("alpha.md", "people/carol.md") in edges(built)

    # Add: a note titled Gamma. The topic page goes; Alpha's link now goes to the note.
    write(vault, "gamma.md", "---\ntitle: Gamma\n---\nGamma.\n")
    built = build_site(vault)
    site = built.site
    assert parses() == 1
    assert "gamma" not in site.map.topic_uri
    assert not any(uri.startswith("topics/gamma") for uri in built.pages)
    assert "(<gamma.md>)" in page(built, "alpha.md")
    assert ("alpha.md", "gamma.md") in edges(built)
    assert ("alpha.md", "topic:gamma") not in edges(built)
    assert "Alpha" in backlinks(built, "gamma.md")

    # Rename: gamma.md moves to people/gamma_ray.md; links by title still find it.
    (vault / "gamma.md").rename(vault / "people" / "gamma_ray.md")
    built = build_site(vault)
    site = built.site
    assert parses() == 1  # the same text under a new path: a new note id, parsed once
    assert "gamma.md" not in site.vault.notes
    assert "(<people/gamma_ray.md>)" in page(built, "alpha.md")
    assert ("alpha.md", "people/gamma_ray.md") in edges(built)
    assert not any(s == "gamma.md" or t == "gamma.md" for s, t in edges(built))

    # Delete: without the note, Gamma is a topic again, with its page and its mention.
    (vault / "people" / "gamma_ray.md").unlink()
    built = build_site(vault)
    site = built.site
    assert parses() == 0
    assert "gamma" in site.map.topic_uri
    assert "Alpha" in built.pages.page_text(site.map.topic_uri["gamma"])  # type: ignore[index]
    assert ("alpha.md", "topic:gamma") in edges(built)
    assert "../topics/gamma.md" in page(built, "alpha.md")

    # What the cache hands out is what a fresh parse gives: the pipeline never changed it.
    for note_id, note in site.vault.notes.items():
        fresh = parse_note(note_id, (vault / note_id).read_text(encoding="utf-8"))
        for f in fields(note):
            assert getattr(note, f.name) == getattr(fresh, f.name), (note_id, f.name)


def test_cached_notes_replay_their_diagnostics(tmp_path: Path) -> None:
    from notegraph.core.base.report import Report

    vault = tmp_path / "vault"
    write(vault, "bad.md", "---\ntitle: [x\n---\nBody.\n")
    first, second = Report(), Report()
    build_site(vault, report=first)
    parses = Parses()
    build_site(vault, report=second)
    assert parses() == 0
    assert [str(d) for d in second.diagnostics] == [str(d) for d in first.diagnostics]
    assert any(d.code == "frontmatter" for d in second.diagnostics)


def test_cache_entries_depend_on_the_slugify_function(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    write(vault, "a.md", "# Heading One\n")
    from notegraph.core.sitemap.sitemap import Options

    parses = Parses()
    plain = build_site(vault)
    upper = build_site(vault, Options(slugify=lambda text, sep: text.upper().replace(" ", sep)))
    assert parses() == 2
    assert plain.site.vault.notes["a.md"].headings[0].anchor == "heading-one"
    assert upper.site.vault.notes["a.md"].headings[0].anchor == "HEADING-ONE"


# --- real MkDocs rebuilds, as `notegraph serve` runs them ----------------------------------


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """A project (vault, docs, mkdocs.yml) and the site folder ``serve`` would build into."""
    monkeypatch.chdir(tmp_path)
    for rel, text in NOTES.items():
        write(tmp_path / "vault", rel, text)
    write(tmp_path / "docs", "index.md", "# Home\n")
    config = {
        "site_name": "Preview",
        "docs_dir": "docs",
        "theme": {"name": "material"},
        "plugins": [{"notegraph": {"notes_dir": "vault", "local_graph": False}}],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    yield tmp_path / "vault", tmp_path / "site"


def _serve_build(site_dir: Path, first: bool) -> MkDocsConfig:
    """One build of ``serve --dirty``: the config is loaded again, the plugin is kept."""
    config = load_config("mkdocs.yml", site_dir=str(site_dir))
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=not first)
    return config


def test_mkdocs_rebuild_after_a_save(served: tuple[Path, Path], caplog: Any) -> None:
    vault, site_dir = served
    parses = Parses()
    caplog.set_level(logging.WARNING, logger="mkdocs")
    config = _serve_build(site_dir, first=True)
    plugin = config.plugins["notegraph"]
    assert parses() == 3
    beta = site_dir / "notes" / "beta" / "index.html"
    assert "ng-backlinks" in beta.read_text()
    assert (site_dir / "topics" / "gamma" / "index.html").is_file()

    def graph() -> set[tuple[str, str]]:
        data = json.loads((site_dir / "graph.json").read_text())
        return {(edge["source"], edge["target"]) for edge in data["edges"]}

    assert ("alpha.md", "beta.md") in graph()

    # Save an edit: one parse; Beta's page loses its backlinks, the graph its edge.
    write(vault, "alpha.md", ALPHA.replace("[[Beta]]", "[[Carol]]"))
    config = _serve_build(site_dir, first=False)
    assert config.plugins["notegraph"] is plugin  # kept across rebuilds, with its cache
    assert parses() == 1
    assert "ng-backlinks" not in beta.read_text()
    assert "Alpha" in (site_dir / "notes" / "people" / "carol" / "index.html").read_text()
    assert ("alpha.md", "beta.md") not in graph()
    assert ("alpha.md", "people/carol.md") in graph()

    # Create the note a topic stood for: Alpha's page now links the note, the topic page goes.
    topic = site_dir / "topics" / "gamma" / "index.html"
    write(vault, "gamma.md", "---\ntitle: Gamma\n---\nGamma.\n")
    _serve_build(site_dir, first=False)
    assert parses() == 1
    alpha = (site_dir / "notes" / "alpha" / "index.html").read_text()
    assert 'href="../gamma/"' in alpha
    assert "topics/gamma/" not in alpha
    assert ("alpha.md", "gamma.md") in graph()
    assert not topic.exists(), "the topic page of a link that now finds a note is still served"
    assert not (site_dir / "topics" / "gamma").exists()

    # Rename it: the old page is gone, Alpha and the folder page link the new one.
    old_page = site_dir / "notes" / "gamma" / "index.html"
    assert old_page.is_file()
    (vault / "gamma.md").rename(vault / "people" / "gamma_ray.md")
    _serve_build(site_dir, first=False)
    assert parses() == 1
    new_page = site_dir / "notes" / "people" / "gamma_ray" / "index.html"
    assert new_page.is_file()
    assert not old_page.exists(), "the renamed note's old page is still served"
    assert not old_page.parent.exists()
    alpha = (site_dir / "notes" / "alpha" / "index.html").read_text()
    assert 'href="../people/gamma_ray/"' in alpha
    assert 'href="../gamma/"' not in alpha
    folder = (site_dir / "notes" / "people" / "index.html").read_text()
    assert 'href="gamma_ray/"' in folder
    assert "Alpha" in new_page.read_text()  # its backlink
    assert ("alpha.md", "people/gamma_ray.md") in graph()

    # Delete it: its page is gone, the topic comes back, the folder page forgets it.
    (vault / "people" / "gamma_ray.md").unlink()
    _serve_build(site_dir, first=False)
    assert parses() == 0
    assert not new_page.exists(), "the deleted note's page is still served"
    alpha = (site_dir / "notes" / "alpha" / "index.html").read_text()
    assert 'href="../../topics/gamma/"' in alpha
    assert "gamma_ray" not in alpha
    assert "gamma_ray" not in (site_dir / "notes" / "people" / "index.html").read_text()
    assert "Alpha" in topic.read_text()
    assert ("alpha.md", "topic:gamma") in graph()
    assert (site_dir / "notes" / "people" / "carol" / "index.html").is_file()  # untouched
    config.plugins.on_shutdown()
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert logged == []  # not even MkDocs' "A 'dirty' build is being performed"


def test_local_graphs_follow_a_rename(served: tuple[Path, Path]) -> None:
    """A page whose Markdown did not change still shows its neighbours' new addresses."""
    vault, site_dir = served
    config = yaml.safe_load(Path("mkdocs.yml").read_text())
    config["plugins"][0]["notegraph"]["local_graph"] = True
    Path("mkdocs.yml").write_text(yaml.safe_dump(config))
    write(vault, "gamma.md", "---\ntitle: Gamma\n---\nGamma.\n")
    carol = site_dir / "notes" / "people" / "carol" / "index.html"

    def local_urls() -> set[str]:
        found = re.search(r'data-ng-local-src="([^"]*)"', carol.read_text())
        assert found, "Carol's page has no local graph"
        data = (site_dir / html.unescape(found.group(1))).read_text()
        return set(json.loads(data)["nodes"]["url"])

    config = _serve_build(site_dir, first=True)
    # Carol -> Alpha -> Gamma: Gamma is two links away, in the ring the button shows.
    assert "notes/gamma/" in local_urls()
    (vault / "gamma.md").rename(vault / "people" / "gamma_ray.md")
    _serve_build(site_dir, first=False)
    assert "notes/people/gamma_ray/" in local_urls()
    assert "notes/gamma/" not in local_urls()  # its data file follows; the page need not
    config.plugins.on_shutdown()


def test_a_save_writes_again_only_what_it_changed(served: tuple[Path, Path]) -> None:
    """A body edit re-resolves and re-writes the saved note alone; a retitle, every page
    that shows the title (the memo of `build_site` must never serve a stale page)."""
    vault, site_dir = served
    config = _serve_build(site_dir, first=True)
    memo = config.plugins["notegraph"].memo
    beta = site_dir / "notes" / "beta" / "index.html"

    misses = memo.misses
    write(vault, "beta.md", NOTES["beta.md"].replace("stands alone", "stands alone, edited"))
    _serve_build(site_dir, first=False)
    assert "stands alone, edited" in beta.read_text()
    assert memo.misses - misses == 2  # Beta's links, Beta's page: nothing else is redone

    write(vault, "alpha.md", ALPHA.replace("title: Alpha", "title: Alpha Prime"))
    _serve_build(site_dir, first=False)
    backlinks = beta.read_text().split('id="ng-backlinks"')[1]
    assert "Alpha Prime" in backlinks
    carol = (site_dir / "notes" / "people" / "carol" / "index.html").read_text()
    assert "Alpha" in carol  # Carol's link is by title: still shown as written


def test_an_edited_template_override_shows_at_the_next_save(served: tuple[Path, Path]) -> None:
    """Compiled templates are kept between rebuilds, but never once their source changed."""
    vault, site_dir = served
    config_file = Path("mkdocs.yml")
    config = yaml.safe_load(config_file.read_text())
    config["theme"]["custom_dir"] = "overrides"
    config_file.write_text(yaml.safe_dump(config))
    write(
        Path("overrides"),
        "main.html",
        '{% extends "base.html" %}{% block extrahead %}<!-- first -->{% endblock %}',
    )
    _serve_build(site_dir, first=True)
    beta = site_dir / "notes" / "beta" / "index.html"
    assert "<!-- first -->" in beta.read_text()
    write(
        Path("overrides"),
        "main.html",
        '{% extends "base.html" %}{% block extrahead %}<!-- second -->{% endblock %}',
    )
    write(vault, "beta.md", NOTES["beta.md"] + "\nEdited.\n")
    _serve_build(site_dir, first=False)
    assert "<!-- second -->" in beta.read_text()

"""Incremental builds (`notegraph build` with its cache) give the site a clean build gives.

The property test draws a small vault and a sequence of edits (add, change, rename and
delete notes; add and remove links, written by title, to a heading, by file name or with an
alias; add and remove stamps, tags, aliases, titles and headings). After each edit it builds
incrementally into one folder and from scratch (``--clean``) into another, and compares the
two sites byte for byte. The layout cache seeds the graph's positions, so the clean build
starts from a copy of the cache the incremental build started from.

The other tests check the cases where the cache must not be trusted: each gives a full
build and says why.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from notegraph.cli.main import main
from notegraph.core.vault.parsecache import PARSES

VIDEO = "dQw4w9WgXcQ"
NAMES = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta"]
TOPICS = ["Growth", "Pricing", "Hiring"]


def note_text(
    title: str,
    links: list[str],
    stamps: int,
    tags: list[str],
    aliases: list[str],
    section: bool = False,
) -> str:
    head = {"title": title, "videoId": VIDEO}
    if tags:
        head["tags"] = tags
    if aliases:
        head["aliases"] = aliases
    # A sentence of its own: Pagefind leaves out a page with no text but its title, and a
    # run with no page fails (these tests cut search into runs of a page or two).
    lines = ["---", yaml.safe_dump(head, sort_keys=True).strip(), "---", f"# {title}", ""]
    lines.append(f"What {title} is about.")
    for number in range(0, len(links), 2):  # two links a sentence: backlinks show both
        pair = " and ".join(f"[[{target}]]" for target in links[number : number + 2])
        lines.append(f"{title} talks about {pair} in sentence {number}.")
    if section:  # what links to the note's heading (``[[Alpha#Section]]``) find
        lines += ["", "## Section", "", f"More on {title}."]
    for second in range(stamps):
        lines.append(
            f'A moment of {title}. <a class="yt-timestamp" data-t="00:00:{10 + second:02d}">'
            f"[00:00:{10 + second:02d}]</a>"
        )
    return "\n".join(lines) + "\n"


class Vault:
    """The notes of a vault as data, written to a folder after each edit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.notes: dict[str, dict] = {}

    def write(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        for note in self.notes.values():
            text = note_text(
                note["title"],
                note["links"],
                note["stamps"],
                note["tags"],
                note["aliases"],
                note["section"],
            )
            path = self.folder / note["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def apply(self, edit: tuple[str, int, int]) -> None:
        kind, a, b = edit
        names = sorted(self.notes)
        if kind == "add" or not names:
            name = next((n for n in NAMES if n not in self.notes), None)
            if name is not None:
                folder = "people/" if a % 2 else ""
                self.notes[name] = {
                    "path": f"{folder}{name.lower()}.md",
                    "links": [],
                    "stamps": 0,
                    "tags": [],
                    "aliases": [],
                    "title": name,
                    "section": False,
                }
            return
        name = names[a % len(names)]
        note = self.notes[name]
        targets = [*names, *TOPICS]
        if kind == "change":  # a link as written: by title, to a heading, by file, aliased
            target = targets[b % len(targets)]
            form = ("{}", "{}#Section", "{}.md", "{}|the {}")[(a + b) % 4]
            if form == "{}.md" and target in self.notes:
                target = Path(self.notes[target]["path"]).stem
            note["links"].append(form.format(target, target.lower()))
            note["links"] = note["links"][-3:]
        elif kind == "unlink" and note["links"]:
            note["links"].pop(b % len(note["links"]))
        elif kind == "rename":
            note["path"] = f"renamed/{Path(note['path']).stem}-{b}.md"
        elif kind == "delete":
            del self.notes[name]
        elif kind == "stamp":
            note["stamps"] = (note["stamps"] + 1) % 3
        elif kind == "tag":
            note["tags"] = [] if note["tags"] else [f"t{b % 2}"]
        elif kind == "alias":
            note["aliases"] = [] if note["aliases"] else [f"{name} alias"]
        elif kind == "retitle":  # what links written as its file name show
            note["title"] = name if note["title"] != name else f"{name} the {b}th"
        elif kind == "section":
            note["section"] = not note["section"]


def project(root: Path) -> Path:
    """An mkdocs.yml with a hand-written page, beside the vault."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nHand-written.\n", encoding="utf-8")
    (root / "docs" / "about.md").write_text("# About\n\nAbout the site.\n", encoding="utf-8")
    config = {
        "site_name": "Incremental",
        "docs_dir": "docs",
        "theme": {"name": "material"},
        # Search in a few Pagefind runs: a build keeps those whose pages did not change.
        "plugins": ["search", {"notegraph": {"notes_dir": "vault", "search_shard_mb": 0.025}}],
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def build(root: Path, site: Path, cache: Path, *extra: str) -> int:
    """``notegraph build`` as CI runs it: a new process, whose notes come from the cache."""
    PARSES.clear()
    config = str(root / "mkdocs.yml")
    args = ["build", str(root / "vault"), "-f", config, "-d", str(site), "--cache", str(cache)]
    return main([*args, *extra])


def differences(one: Path, other: Path) -> list[str]:
    """Files that are not the same, byte for byte, in the two sites (or in one only)."""

    def files(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    left, right = files(one), files(other)
    only = sorted(f"{name} (one side only)" for name in left.keys() ^ right.keys())
    return only + sorted(n for n in left.keys() & right.keys() if left[n] != right[n])


def same_as_clean(root: Path, vault: Vault, step: int) -> tuple[list[str], str]:
    cache, before = root / "cache", root / f"cache-before-{step}"
    if cache.exists():
        shutil.copytree(cache, before)
    assert build(root, root / "site", cache) == 0
    assert build(root, root / f"clean-{step}", before, "--clean") == 0
    found = differences(root / "site", root / f"clean-{step}")
    shutil.rmtree(root / f"clean-{step}")
    shutil.rmtree(before, ignore_errors=True)
    return found, json.dumps(vault.notes, sort_keys=True)


EDITS = st.tuples(
    st.sampled_from(
        [
            "add",
            "change",
            "unlink",
            "rename",
            "delete",
            "stamp",
            "tag",
            "alias",
            "retitle",
            "section",
        ]
    ),
    st.integers(0, 6),
    st.integers(0, 9),
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(start=st.lists(EDITS, min_size=2, max_size=5), edits=st.lists(EDITS, min_size=1, max_size=4))
def test_incremental_build_is_the_clean_build(tmp_path_factory, start, edits) -> None:
    root = tmp_path_factory.mktemp("incremental")
    project(root)
    vault = Vault(root / "vault")
    for edit in [("add", 0, 0), ("add", 1, 0), *start]:
        vault.apply(edit)
    vault.write()
    for step, edit in enumerate([None, *edits]):
        if edit is not None:
            vault.apply(edit)
            vault.write()
        found, notes = same_as_clean(root, vault, step)
        assert found == [], f"after {edit} ({notes}): {found}"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project(tmp_path)
    vault = Vault(tmp_path / "vault")
    for edit in [("add", 0, 0), ("add", 1, 0), ("change", 0, 1), ("stamp", 1, 0)]:
        vault.apply(edit)
    vault.write()
    assert build(tmp_path, tmp_path / "site", tmp_path / "cache") == 0
    return tmp_path


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def log() -> Iterator[_Lines]:
    """What the builds log (the command's own handler writes to the terminal). The level is
    set here: the command sets it only when it finds the logger without handlers."""
    logger, lines = logging.getLogger("mkdocs"), _Lines()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(lines)
    yield lines
    logger.removeHandler(lines)
    logger.setLevel(level)


def said(log: _Lines) -> str:
    text, log.lines = "\n".join(log.lines), []
    return text


def test_a_second_build_renders_only_what_changed(built: Path, log) -> None:
    said(log)
    note = built / "vault" / "alpha.md"
    note.write_text(note.read_text() + "One more sentence.\n", encoding="utf-8")
    assert build(built, built / "site", built / "cache") == 0
    text = said(log)
    assert "incremental build: 1 of " in text  # alpha's page; Beta's backlink has no change
    kept = re.search(r"search: (\d+) of (\d+) Pagefind runs kept", text)
    assert kept, text  # the runs without alpha's page are not indexed again
    assert 0 < int(kept[1]) < int(kept[2])
    assert build(built, built / "clean", built / "cache", "--clean") == 0
    assert differences(built / "site", built / "clean") == []


def test_a_renamed_note_renders_again_only_the_pages_that_show_it(tmp_path: Path, log) -> None:
    project(tmp_path)
    vault = Vault(tmp_path / "vault")
    for number in range(len(NAMES)):
        vault.apply(("add", number, 0))
    vault.apply(("change", 0, 1))  # Alpha links to Beta's heading; nothing links to Gamma
    vault.write()
    assert build(tmp_path, tmp_path / "site", tmp_path / "cache") == 0
    gamma = tmp_path / "vault" / "gamma.md"
    gamma.rename(gamma.with_name("gamma-renamed.md"))
    said(log)
    assert build(tmp_path, tmp_path / "site", tmp_path / "cache") == 0
    text = said(log)
    # Gamma's page at its new address, and the listings of its folder and of its initial
    # (A–Z); not the pages of the six other notes, nor the video's (no moment of Gamma's).
    assert "incremental build: 3 of 19 pages changed" in text, text
    assert not (tmp_path / "site" / "notes" / "gamma").exists()
    assert (tmp_path / "site" / "notes" / "gamma-renamed" / "index.html").is_file()
    assert build(tmp_path, tmp_path / "clean", tmp_path / "cache", "--clean") == 0
    assert differences(tmp_path / "site", tmp_path / "clean") == []


def _append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(" ")


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        (lambda root: (root / "docs" / "about.md").write_text("# Other\n"), "hand-written pages"),
        (lambda root: (root / "site" / "stray.html").write_text("x"), "the site folder changed"),
        (lambda root: _append(root / "site" / "pagefind" / "pagefind-entry.json"), "site folder"),
        (lambda root: _spoil_manifest(root / "cache"), "the cache cannot be used"),
        (lambda root: shutil.rmtree(root / "cache" / "builds"), "no earlier build"),
        # in a vault of two notes that link each other, a rename changes every page's
        # inputs: a full build is the faster one
        (lambda root: _rename(root / "vault" / "alpha.md"), "written from other inputs"),
    ],
    ids=["hand-written page", "site folder", "search index", "manifest", "no manifest", "renamed"],
)
def test_any_doubt_gives_a_full_build_that_says_why(built: Path, log, spoil, why) -> None:
    spoil(built)
    shutil.copytree(built / "cache", built / "cache-clean")  # the same layout to start from
    said(log)
    assert build(built, built / "site", built / "cache") == 0
    text = said(log)
    assert "full build: " in text and why in text
    clean = built / "clean"
    assert build(built, clean, built / "cache-clean", "--clean") == 0
    assert differences(built / "site", clean) == []


def test_a_damaged_store_of_parsed_notes_is_said_and_parsed_again(built: Path, log) -> None:
    for shard in (built / "cache" / "parses").glob("*.pickle"):
        shard.write_bytes(b"not a pickle")
    shutil.copytree(built / "cache", built / "cache-clean")
    alpha = built / "vault" / "alpha.md"
    alpha.write_text(alpha.read_text() + "One more sentence.\n", encoding="utf-8")
    said(log)
    assert build(built, built / "site", built / "cache") == 0
    text = said(log)
    assert "incremental build: 1 of " in text  # the pages' own cache is still good
    (line,) = [line for line in text.splitlines() if "parsed notes: " in line]
    assert re.search(r"parsed notes: \d+ files of .* cannot be used \(.*\.pickle: ", line)
    assert line.endswith("; made again")
    assert build(built, built / "clean", built / "cache-clean", "--clean") == 0
    assert differences(built / "site", built / "clean") == []
    assert build(built, built / "site", built / "cache") == 0
    assert "cannot be used" not in said(log)  # written anew


def test_a_cache_restored_elsewhere_still_serves(built: Path, log) -> None:
    """CI may restore the cache folder at another path: no page depends on where it is."""
    shutil.move(built / "cache", built / "restored")
    alpha = built / "vault" / "alpha.md"
    alpha.write_text(alpha.read_text() + "One more sentence.\n", encoding="utf-8")
    said(log)
    assert build(built, built / "site", built / "restored") == 0
    assert "incremental build: 1 of " in said(log)


def _rename(note: Path) -> None:
    note.rename(note.with_name("first.md"))


def _spoil_manifest(cache: Path) -> None:
    for manifest in (cache / "builds").glob("*.pickle"):
        manifest.write_bytes(b"\x80\x05not a pickle")


def test_deleted_notes_leave_no_files_behind(built: Path) -> None:
    site = built / "site"
    page = [p for p in site.rglob("*") if "beta" in p.as_posix() and "topics" not in p.parts]
    assert len(page) >= 3  # its page, its preview, its local graph
    shutil.copytree(built / "cache", built / "cache-clean")
    (built / "vault" / "people" / "beta.md").unlink()  # Alpha's link to it makes it a topic
    assert build(built, site, built / "cache") == 0
    assert [p for p in page if p.exists()] == []
    assert build(built, built / "clean", built / "cache-clean", "--clean") == 0
    assert differences(site, built / "clean") == []


def test_findings_of_pages_not_rendered_again_still_count(built: Path, log, monkeypatch) -> None:
    """A page whose rendering reported a problem and that the next build does not render
    again: the problem is in that build's summary too, and ``--strict`` still fails."""
    from notegraph.core.pages import write

    sanitize = write.sanitize

    def failing(html: str, *args, **kwargs):
        if "What Beta is about" in html:
            raise RuntimeError("cannot sanitize this page")
        return sanitize(html, *args, **kwargs)

    monkeypatch.setattr(write, "sanitize", failing)  # the forked render workers inherit it
    beta = built / "vault" / "people" / "beta.md"
    beta.write_text(beta.read_text() + "Beta again.\n", encoding="utf-8")
    said(log)
    assert build(built, built / "site", built / "cache", "--strict") != 0
    first = said(log)
    assert "sanitize the page" in first, first
    alpha = built / "vault" / "alpha.md"
    alpha.write_text(alpha.read_text() + "One more sentence.\n", encoding="utf-8")
    assert build(built, built / "site", built / "cache", "--strict") != 0
    second = said(log)
    assert "incremental build: 1 of " in second  # Beta's page is not rendered again...
    summary = re.compile(r"built .* (\d+) warnings? in")
    assert summary.search(first)[1] == summary.search(second)[1]  # ...its problem still counts
    assert "sanitize the page" in second or "1 error" in second, second


def test_a_page_keeps_its_key_only_with_the_same_inputs_and_graph(tmp_path: Path) -> None:
    """An incremental build takes a page's key from the last build, without drawing its
    local graph, only when both what the page is written from and the graph view are
    the same."""
    from notegraph.mkdocs_plugin.incremental import Incremental, Manifest, PageState

    manifest = tmp_path / "builds" / "site.pickle"
    Manifest(view="view-1", pages={"notes/a.md": PageState("key-a", inputs="in-a")}).save(manifest)
    incremental = Incremental(manifest, tmp_path / "site")
    incremental.previous = Manifest.load(manifest)
    kept = incremental.kept("notes/a.md", "in-a", "view-1")
    assert kept is not None and kept.key == "key-a"
    assert incremental.kept("notes/a.md", "in-a", "view-2") is None  # the graph moved
    assert incremental.kept("notes/a.md", "in-b", "view-1") is None  # the note changed
    assert incremental.kept("notes/a.md", "", "view-1") is None  # inputs not known
    assert incremental.kept("notes/b.md", "in-a", "view-1") is None  # a new page


def test_a_graph_that_moved_redraws_local_graphs_without_rendering_pages(
    tmp_path: Path, log
) -> None:
    project(tmp_path)
    vault = Vault(tmp_path / "vault")
    for edit in [("add", 0, 0), ("add", 1, 0), ("add", 2, 0), ("change", 0, 1)]:
        vault.apply(edit)
    vault.write()
    site, cache = tmp_path / "site", tmp_path / "cache"
    assert build(tmp_path, site, cache) == 0
    shutil.copytree(cache, tmp_path / "cache-clean")
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    graphs = {p: p.read_bytes() for p in (site / "graph" / "local").rglob("*.json")}
    vault.apply(("change", 2, 0))  # Gamma links to a note: the graph and its layout move
    vault.write()
    said(log)
    assert build(tmp_path, site, cache) == 0
    text = said(log)
    changed = int(re.search(r"incremental build: (\d+) of (\d+) pages changed", text)[1])
    redrawn = re.search(r"; (\d+) local graphs? redrawn alone", text)
    assert redrawn, text
    assert int(redrawn[1]) > 0
    untouched = [p for p, when in before.items() if p.exists() and p.stat().st_mtime_ns == when]
    assert len(untouched) >= int(redrawn[1])  # their pages were not written again
    assert changed < len(before)
    moved = [p for p, data in graphs.items() if p.exists() and p.read_bytes() != data]
    assert len(moved) >= int(redrawn[1])  # but their local graphs' data was
    assert build(tmp_path, tmp_path / "clean", tmp_path / "cache-clean", "--clean") == 0
    assert differences(site, tmp_path / "clean") == []


def test_the_graph_view_is_the_same_only_for_the_same_graph(tmp_path: Path) -> None:
    from notegraph.core.graph.view import ViewOptions
    from notegraph.core.pipeline import build_site

    project(tmp_path)
    vault = Vault(tmp_path / "vault")
    for edit in [("add", 0, 0), ("add", 1, 0), ("add", 2, 0), ("change", 0, 1)]:
        vault.apply(edit)
    vault.write()
    options = ViewOptions(cache_file=tmp_path / "layout.json")
    first = build_site(tmp_path / "vault", view=options).view_identity
    again = build_site(tmp_path / "vault", view=options).view_identity
    elsewhere = ViewOptions(cache_file=tmp_path / "other.json")
    assert first == again == build_site(tmp_path / "vault", view=elsewhere).view_identity
    vault.apply(("change", 2, 0))  # a new link: the graph changed
    vault.write()
    assert build_site(tmp_path / "vault", view=options).view_identity != first

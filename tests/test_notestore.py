"""Parsed and linked notes kept on disk between builds (`notestore.NoteStore`).

A ``notegraph build`` in CI is a new process each time: the store lets it parse only the
notes whose text changed. What it gives back must be what a parse gives, and nothing in
the store may be trusted beyond that: a file of another version, a damaged file or a
pickle that would run code is parsed again, said in one line, and never run.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from notegraph.core.base.report import Report
from notegraph.core.checks.rules import apply_rules
from notegraph.core.linker import links as links_module
from notegraph.core.linker.links import Links, link_store, link_vault
from notegraph.core.pipeline import build_site
from notegraph.core.sitemap.sitemap import Options
from notegraph.core.vault import anchors
from notegraph.core.vault.notes import Slugify, load_vault, parse_note
from notegraph.core.vault.notestore import NoteStore, shard_of
from notegraph.core.vault.parsecache import PARSES, open_store

NOTES = {
    "alpha.md": (
        "---\ntitle: Alpha\ntags: [growth]\ncreated: 2024-05-01\nvideoId: dQw4w9WgXcQ\n---\n"
        "# Alpha\n\nAlpha builds on [[Beta|the beta]] and [[Gamma#Plan]]. "
        '<a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>\n\n## Plan\n\nMore.\n'
    ),
    "people/beta.md": "---\ntitle: Beta\naliases: [B]\n---\nBeta stands alone, see [[Alpha]].\n",
    "gamma.md": "---\ntitle: [broken\n---\nGamma's frontmatter does not parse.\n",
}


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    """Each load as a new process sees it: nothing in the in-memory cache."""
    PARSES.clear()
    yield
    PARSES.clear()


def vault_of(folder: Path, notes: dict[str, str] = NOTES) -> Path:
    for rel, text in notes.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


class Load:
    """One build's reading of the vault, in a new process, with the store in `cache`."""

    def __init__(
        self, vault: Path, cache: Path, reuse: bool = True, slugify: Slugify = anchors.slugify
    ) -> None:
        PARSES.clear()
        before = PARSES.parses
        store = open_store(cache, slugify, reuse)
        assert store is not None
        self.store, self.report = store, Report()
        self.vault = load_vault(vault, self.report, slugify, store=store)
        self.parsed = PARSES.parses - before
        """Notes parsed from their text (not taken from the store)."""


def test_a_second_build_parses_only_the_note_that_changed(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    first = Load(vault, cache)
    assert first.parsed == 3
    again = Load(vault, cache)
    assert (again.parsed, again.store.loaded, again.store.written) == (0, 3, 0)
    assert again.report.diagnostics == first.report.diagnostics  # gamma's frontmatter
    assert any(d.path == "gamma.md" for d in again.report.diagnostics)
    (vault / "gamma.md").write_text("---\ntitle: Gamma\n---\nFixed.\n", encoding="utf-8")
    fixed = Load(vault, cache)
    assert (fixed.parsed, fixed.store.written) == (1, 1)
    assert not [d for d in fixed.report.diagnostics if d.path == "gamma.md"]
    assert fixed.vault.notes["gamma.md"].title == "Gamma"  # type: ignore[index]


def test_notes_from_the_store_equal_a_fresh_parse(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    stored = Load(vault, cache)
    assert stored.parsed == 0
    for rel, text in NOTES.items():
        fresh = parse_note(rel, text, Report())  # type: ignore[arg-type]
        note = stored.vault.notes[rel]  # type: ignore[index]
        assert note == fresh
        assert list(note.stamps) == list(fresh.stamps)


def test_a_clean_build_parses_everything_and_writes_the_store(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    clean = Load(vault, cache, reuse=False)
    assert (clean.parsed, clean.store.loaded) == (3, 0)
    after = Load(vault, cache)
    assert (after.parsed, after.store.loaded) == (0, 3)


def test_deleted_and_renamed_notes_leave_the_store(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    (vault / "people" / "beta.md").rename(vault / "beta.md")
    assert Load(vault, cache).parsed == 1  # a note's path is part of what it parses to
    held = set()
    for path in cache.glob("*.pickle"):
        with path.open("rb") as file:
            pickle.load(file)
            held |= set(pickle.load(file))
    assert held == {"alpha.md", "beta.md", "gamma.md"}


Spoil = Callable[[Path, str], None]


def _corrupt(cache: Path, shard: str) -> None:
    (cache / f"{shard}.pickle").write_bytes(b"\x80\x05not a pickle at all")


class _Runs:
    """A pickle that would create a file if it were loaded with `pickle.load`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.mkdir, (str(self.marker),))


def _hostile(cache: Path, shard: str) -> None:
    path = cache / f"{shard}.pickle"
    with path.open("rb") as file:
        header = pickle.load(file)
    with path.open("wb") as file:
        pickle.dump(header, file)
        pickle.dump({"alpha.md": _Runs(cache.parent / "ran")}, file)


def _truncated(cache: Path, shard: str) -> None:
    path = cache / f"{shard}.pickle"
    path.write_bytes(path.read_bytes()[:-40])


@pytest.mark.parametrize(
    ("spoil", "why"),
    [
        (_corrupt, "UnpicklingError"),
        (_hostile, "posix.mkdir is not something notegraph stores"),
        (_truncated, "Error"),
    ],
    ids=["not a pickle", "would run code", "cut short"],
)
def test_a_damaged_store_is_parsed_again_and_said(tmp_path: Path, spoil: Spoil, why: str) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    spoil(cache, shard_of("alpha.md"))
    damaged = Load(vault, cache)
    assert not (tmp_path / "ran").exists()
    assert damaged.parsed == 1  # alpha, from its text
    (problem,) = damaged.store.problems
    assert problem.startswith("parsed notes: a file cannot be used")
    assert f"{shard_of('alpha.md')}.pickle: " in problem and why in problem
    assert problem.endswith("; made again")
    assert damaged.vault.notes["alpha.md"].title == "Alpha"  # type: ignore[index]
    after = Load(vault, cache)  # and written anew
    assert (after.parsed, after.store.problems) == (0, [])


def test_another_version_of_notegraph_parses_again_without_a_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    monkeypatch.setattr("notegraph.core.vault.notestore.code_digest", lambda: "another")
    other = Load(vault, cache)
    assert (other.parsed, other.store.problems, other.store.written) == (3, [], 3)


def test_other_anchors_are_another_store(tmp_path: Path) -> None:
    """Heading anchors depend on the slugify function: a store of another one is not used."""
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    Load(vault, cache)
    from pymdownx.slugs import slugify

    assert Load(vault, cache, slugify=slugify(case="lower")).parsed == 3
    assert open_store(cache, lambda text, sep: text) is None  # cannot be named: no store


def test_the_build_says_what_it_could_not_use(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    options = Options(cache_dir=cache)
    PARSES.clear()
    clean = build_site(vault, options)
    _corrupt(cache / "parses", shard_of("people/beta.md"))
    PARSES.clear()
    again = build_site(vault, options)
    (notice,) = again.notices
    assert "cannot be used" in notice and str(cache) in notice
    assert again.pages.files == clean.pages.files
    assert {uri: again.pages.render(uri) for uri in again.pages} == {
        uri: clean.pages.render(uri) for uri in clean.pages
    }


def test_files_that_are_not_the_stores_are_left_alone(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "cache"
    cache.mkdir()
    mine = cache / "zz.pickle"
    mine.write_bytes(pickle.dumps({"the user's": "data"}))
    Load(vault, cache)
    Load(vault, cache)
    assert pickle.loads(mine.read_bytes()) == {"the user's": "data"}


def linked(vault: Path, cache: Path) -> tuple[Links, NoteStore, list[str]]:
    """The links of the vault, made with the link store in `cache` (a new process)."""
    PARSES.clear()
    report = Report()
    notes = load_vault(vault, report)
    store = link_store(cache, notes, anchors.slugify)
    assert store is not None
    links = link_vault(notes, report, store=store)
    return links, store, [str(d) for d in report.diagnostics]


def test_a_second_build_links_only_the_note_that_changed(tmp_path: Path) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "links"
    first, store, said = linked(vault, cache)
    assert (store.loaded, store.written) == (0, len(list(cache.glob("*.pickle"))))
    again, store, said_again = linked(vault, cache)
    assert (store.loaded, store.written) == (3, 0)
    assert (again.targets, again.backlinks, again.mentions) == (
        first.targets,
        first.backlinks,
        first.mentions,
    )
    assert (again.edges, again.moments, again.resolved) == (first.edges, first.moments, 3)
    assert said_again == said  # the missing heading and the unresolved link, said again
    alpha = vault / "alpha.md"
    alpha.write_text(alpha.read_text().replace("[[Beta|the beta]]", "Beta"), encoding="utf-8")
    changed, store, _ = linked(vault, cache)
    assert store.written == 1
    assert [m.source for m in first.backlinks["people/beta.md"]] == ["alpha.md"]  # type: ignore[index]
    assert [m.source for m in changed.backlinks.get("people/beta.md", [])] == []  # type: ignore[call-overload]
    assert changed.resolved == 2


def linked_again(
    vault: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Links, list[str], set[str]]:
    """`linked`, and the notes it linked (those the store did not hold for their text and
    lookups)."""
    made: set[str] = set()
    link_note = links_module._link_note_safely

    def spy(note, *args):  # type: ignore[no-untyped-def]
        made.add(note.id)
        return link_note(note, *args)

    with monkeypatch.context() as patched:
        patched.setattr(links_module, "_link_note_safely", spy)
        links, _, said = linked(vault, cache)
    return links, said, made


def test_a_new_heading_links_again_only_the_notes_whose_links_find_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault, cache = vault_of(tmp_path / "vault"), tmp_path / "links"
    _, said, made = linked_again(vault, cache, monkeypatch)
    assert made == set(NOTES)
    assert [line for line in said if "no heading 'Plan'" in line]
    (vault / "gamma.md").write_text("---\ntitle: Gamma\n---\n## Plan\n", encoding="utf-8")
    links, said, made = linked_again(vault, cache, monkeypatch)
    assert made == {"gamma.md", "alpha.md"}  # its own text; the link to its heading
    assert [m.source for m in links.backlinks["gamma.md"]] == ["alpha.md"]  # type: ignore[index]
    assert not [line for line in said if "no heading 'Plan'" in line]
    target = next(t for (n, _), t in links.targets.items() if n == "alpha.md" and t.anchor)
    assert target.anchor == "plan"


def test_a_renamed_note_links_again_only_the_notes_that_link_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = {**NOTES, "delta.md": "---\ntitle: Delta\n---\nDelta links [[Alpha]] only.\n"}
    vault, cache = vault_of(tmp_path / "vault", notes), tmp_path / "links"
    linked_again(vault, cache, monkeypatch)
    (vault / "people" / "beta.md").rename(vault / "people" / "bee.md")
    links, _, made = linked_again(vault, cache, monkeypatch)
    assert made == {"people/bee.md", "alpha.md"}  # alpha links to Beta, by its title
    assert [m.source for m in links.backlinks["people/bee.md"]] == ["alpha.md"]  # type: ignore[index]
    assert "people/beta.md" not in links.backlinks
    assert sorted(m.source for m in links.backlinks["alpha.md"]) == [  # type: ignore[index]
        "delta.md",
        "people/bee.md",
    ]


def test_the_rules_of_one_note_are_checked_again_only_when_it_changes(tmp_path: Path) -> None:
    notes = {
        **NOTES,
        "delta.md": "---\ntitle: Delta\n---\n<div>raw</div>\n\n```python\nnever closed\n",
    }
    vault, cache = vault_of(tmp_path / "vault", notes), tmp_path / "checks"

    def check() -> tuple[list[str], NoteStore]:
        read = Load(vault, tmp_path / "parses")
        report = Report()
        store = NoteStore(cache, "", "checked notes")
        apply_rules(read.vault, link_vault(read.vault, report), report, store=store)
        return [str(d) for d in report.diagnostics], store

    first, store = check()
    assert store.loaded == 0
    assert any("raw HTML <div>" in line for line in first)
    assert any("code fence ``` is never closed" in line for line in first)
    again, store = check()
    assert (again, store.loaded, store.written) == (first, 4, 0)
    (vault / "delta.md").write_text("---\ntitle: Delta\n---\nFixed.\n", encoding="utf-8")
    fixed, store = check()
    assert store.written == 1
    assert not [line for line in fixed if line.startswith("delta.md")]

"""The ``notegraph`` command as a user meets it, run in a subprocess (`cli.notegraph`).

Which configuration a build uses and what it says about it, the layout cache of one vault
never seeding another's, an empty vault.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cli import notegraph
from conftest import write_files

NOTES = {
    "a.md": "---\ntitle: Alpha\n---\nSee [[b]], [[c]] and [[Gamma]].\n",
    "b.md": "# Beta\n\nBack to [[a]] and [[d]].\n",
    "c.md": "# Gamma\n\n[[a]] [[b]]\n",
    "d.md": "# Delta\n",
}


def project(root: Path) -> Path:
    """A project with its own vault (``notes/``), hand-written pages and mkdocs.yml."""
    write_files(root / "notes", NOTES)
    write_files(root / "docs", {"index.md": "# The project's own home\n"})
    config = {"site_name": "Project", "plugins": ["search", {"notegraph": {"notes_dir": "notes"}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


# --- which configuration ---------------------------------------------------------------------


def test_the_build_says_which_configuration_it_uses(tmp_path: Path) -> None:
    root = project(tmp_path / "project")
    write_files(tmp_path / "other", {"x.md": "# X\n"})
    own = notegraph("build", "notes", "-d", "site", cwd=root)
    assert own.code == 0, own.err
    assert "notegraph: configuration: mkdocs.yml (its theme, options and pages)" in own.err
    assert "WARNING" not in own.err
    other = notegraph("build", tmp_path / "other", "-d", "site2", cwd=root)
    assert other.code == 0, other.err
    warning = [line for line in other.err.splitlines() if line.startswith("WARNING")]
    assert len(warning) == 1
    assert "mkdocs.yml is made for the notes in 'notes', not for" in warning[0]
    assert "its hand-written pages (docs/)" in warning[0]
    alone = notegraph("build", "other", "-d", "site3", cwd=tmp_path)
    assert alone.code == 0, alone.err
    assert "notegraph: configuration: the built-in one" in alone.err
    assert "WARNING" not in alone.err


def test_the_configuration_warning_does_not_fail_strict(tmp_path: Path) -> None:
    """The warning is about the command line, not the notes: ``--strict`` still passes."""
    root = project(tmp_path / "project")
    write_files(tmp_path / "other", {"x.md": "# X\n"})
    ran = notegraph("build", tmp_path / "other", "-d", "site", "--strict", cwd=root)
    assert ran.code == 0, ran.err
    assert "is made for the notes in 'notes'" in ran.err


# --- the layout cache --------------------------------------------------------------------------


def test_one_vaults_layout_never_seeds_anothers(tmp_path: Path) -> None:
    """Vault A then vault B from one folder: B's graph is the one B gets anywhere else."""
    write_files(tmp_path / "a", NOTES | {"e.md": "# Epsilon\n[[a]] [[c]] [[d]]\n"})
    write_files(tmp_path / "b", {**NOTES, "f.md": "# Phi\n[[b]]\n"})
    (tmp_path / "one").mkdir()
    (tmp_path / "elsewhere").mkdir()
    for vault in ("a", "b"):
        ran = notegraph("build", tmp_path / vault, "-d", f"site-{vault}", cwd=tmp_path / "one")
        assert ran.code == 0, ran.err
    ran = notegraph("build", tmp_path / "b", "-d", "site-b", cwd=tmp_path / "elsewhere")
    assert ran.code == 0, ran.err
    after_a = (tmp_path / "one" / "site-b" / "graph" / "view.json").read_bytes()
    alone = (tmp_path / "elsewhere" / "site-b" / "graph" / "view.json").read_bytes()
    assert after_a == alone
    caches = sorted(p.name for p in (tmp_path / "one" / ".cache/notegraph/vaults").iterdir())
    assert [name.rsplit("-", 1)[0] for name in caches] == ["a", "b"]


def test_a_projects_own_vault_keeps_its_committed_cache(tmp_path: Path) -> None:
    """mkdocs.yml's own notes_dir: the cache stays ``.cache/notegraph/layout.json``."""
    root = project(tmp_path)
    assert notegraph("build", "notes", "-d", "site", cwd=root).code == 0
    assert (root / ".cache" / "notegraph" / "layout.json").is_file()
    assert not (root / ".cache" / "notegraph" / "vaults").exists()


# --- an empty vault ------------------------------------------------------------------------------

EMPTY = [
    ("empty", {}, "the folder holds no other file"),
    ("hidden notes only", {".drafts/a.md": "# A\n"}, "the folder holds no other file"),
    ("no notes", {"a.txt": "x", "b.png": b"\x89PNG"}, "the folder holds 2 other files"),
    ("one other", {"a.txt": "x"}, "the folder holds 1 other file"),
]


@pytest.mark.parametrize(("case", "files", "found"), EMPTY, ids=[e[0] for e in EMPTY])
def test_a_vault_without_notes_says_what_was_looked_for(
    tmp_path: Path, case: str, files: dict[str, str | bytes], found: str
) -> None:
    (tmp_path / "vault").mkdir()
    write_files(tmp_path / "vault", files)
    hint = "no notes found: a note is a file ending in .md or .markdown"
    built = notegraph("build", "vault", "-d", "site", cwd=tmp_path)
    assert built.code == 0, built.err
    assert hint in built.err and found in built.err
    assert notegraph("build", "vault", "-d", "site", "--strict", cwd=tmp_path).code == 1
    checked = notegraph("check", "vault", cwd=tmp_path)
    assert checked.code == 0
    assert f"vault: warning: {hint}" in checked.out and found in checked.out

"""The ``notegraph`` command as a user meets it, run in a subprocess (`cli.notegraph`).

Which configuration a build uses and what it says about it, the layout cache of one vault
never seeding another's, an empty vault.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml
from cli import notegraph
from conftest import write_files
from notegraph.cli.main import _parser

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


# --- the layout cache ------------------------------------------------------------------------


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


# --- an empty vault --------------------------------------------------------------------------

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


# --- progress: a line updated in place on a terminal, plain lines in a pipe ------------------

PHASES = ("read", "link", "graph", "render", "write", "search")
LIVE = re.compile(
    r"\r\x1b\[Knotegraph: (\w+)  (\d[\d,]*(?:/[\d,]+)? \w+[\w ]*?)(?:  \d+%)?"
    r"(?:  [\d,]+/s)?(?:  [^\r\x1b]*?)?  [\d.]+ s"
)
"""One drawing of the live line: ``\\r`` and erase, then phase, count, share, rate (once
something is done), what it is doing (if it says) and time."""


def test_progress_updates_one_line_on_a_terminal_for_every_phase(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", NOTES)
    ran = notegraph("build", "vault", "-d", "site", cwd=tmp_path, tty=True)
    assert ran.code == 0, ran.out
    drawn = LIVE.findall(ran.out)
    assert {phase for phase, _ in drawn} == set(PHASES)
    pages = len(list((tmp_path / "site").rglob("index.html")))
    assert ("render", f"0/{pages} pages") in drawn  # the count, against the pages to render
    assert ("write", f"0/{pages} pages") in drawn
    # Each phase ends with its plain line, and the live line is erased before any log line.
    for phase in PHASES:
        assert re.search(rf"notegraph: {phase}: [\d,]+ \w+[\w ]* in [\d.]+ s", ran.out)
    for record in re.finditer(r"(INFO|WARNING|\x1b\[33mWARNING) +-  ", ran.out):
        before = ran.out[: record.start()]
        assert before == "" or before.endswith(("\n", "\r\x1b[K")), before[-80:]


def test_no_progress_line_in_a_pipe_but_a_plain_line_per_phase(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", NOTES)
    ran = notegraph("build", "vault", "-d", "site", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert "\r" not in ran.both and "\x1b" not in ran.both
    units = ("note", "note", "layout step", "page", "page", "page")
    for phase, unit in zip(PHASES, units, strict=True):
        assert re.search(
            rf"^INFO    -  notegraph: {phase}: [\d,]+ {unit}s? in [\d.]+ s", ran.err, re.M
        )


def test_check_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", NOTES | {"bad.md": "<div>x</div>\n"})
    on_terminal = notegraph("check", "vault", cwd=tmp_path, tty=True)
    assert {phase for phase, _ in LIVE.findall(on_terminal.out)} == {"read", "link"}
    piped = notegraph("check", "vault", cwd=tmp_path)
    assert "\r" not in piped.both and "notegraph: read" not in piped.both


# --- grouped warnings ------------------------------------------------------------------------

WARNED = {
    "a.md": "# A\n\n<div>one</div>\n",
    "b.md": "# B\n\n<div>two</div>\n",
    "c.md": "# C\n\n<div>three</div> and <div>four</div>\n",
    "d.md": "---\ntitle: [oops\n---\n# D\n",
    "e.md": "# E\n\n[[Nowhere]]\n",
}


def test_warnings_are_grouped_at_the_end_with_counts_and_two_examples(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", WARNED)
    ran = notegraph("build", "vault", "-d", "site", cwd=tmp_path)
    assert ran.code == 0, ran.err
    lines = ran.err.splitlines()
    warnings = [i for i, line in enumerate(lines) if line.startswith("WARNING")]
    assert len(warnings) == 1  # one warning, not one line per finding
    start = warnings[0]
    assert lines[start] == (
        "WARNING -  notegraph: 5 warnings in 4 files of vault; all of them: "
        "notegraph check vault (or this build with -v)"
    )
    assert lines[start + 1 : start + 8] == [
        " " * 11 + "  raw-html: 4 warnings",
        " " * 11 + "    a.md:3:1: raw HTML <div>; notes use Markdown, timestamp anchors, <br>"
        " and inline formatting only",
        " " * 11 + "    b.md:3:1: raw HTML <div>; notes use Markdown, timestamp anchors, <br>"
        " and inline formatting only",
        " " * 11 + "    ... and 2 more",
        " " * 11 + "  frontmatter: 1 warning",
        " " * 11 + "    d.md:3: frontmatter is not valid YAML (did not find expected ',' or"
        " ']'); the note is published without it",
        "INFO    -  notegraph: 1 info (unresolved: 1); all of them: notegraph check vault "
        "(or this build with -v)",
    ]
    assert "5 warnings in" in lines[-1] and lines[-1].startswith("INFO    -  notegraph: built")


def test_verbose_lists_every_finding_and_strict_fails(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", WARNED)
    verbose = notegraph("build", "vault", "-d", "site", "-v", cwd=tmp_path)
    listed = [line for line in verbose.err.splitlines() if "DEBUG   -  notegraph: vault/" in line]
    assert len(listed) == 6  # 5 warnings, 1 info
    assert "DEBUG   -  notegraph: vault/c.md:3:22: warning: raw HTML <div>" in verbose.err
    strict = notegraph("build", "vault", "-d", "site", "--strict", cwd=tmp_path)
    assert strict.code == 1
    assert strict.err.count("WARNING -  notegraph: 5 warnings in 4 files") == 1  # once
    assert strict.err.splitlines()[-1] == (
        "notegraph: error: --strict, and the build reported 5 warnings"
    )


# --- check: by severity, a summary first on a terminal ---------------------------------------


def test_check_orders_by_severity_then_path(tmp_path: Path) -> None:
    write_files(tmp_path / "vault", WARNED)
    ran = notegraph("check", "vault", "--no-topics", cwd=tmp_path)
    levels = [line.split(": ")[1] for line in ran.out.splitlines()]
    assert levels == ["error"] + ["warning"] * 5
    paths = [line.split(":")[0] for line in ran.out.splitlines()]
    assert paths == ["vault/e.md", "vault/a.md", "vault/b.md", "vault/c.md", "vault/c.md",
                     "vault/d.md"]  # fmt: skip
    assert ran.err == ran.err.splitlines()[0] + "\n"  # the summary, last, on stderr
    assert ran.err.startswith("notegraph check: 1 error, 5 warnings, 0 infos in 5 files (")
    on_terminal = notegraph("check", "vault", cwd=tmp_path, tty=True)
    shown = [line.rsplit("\x1b[K", 1)[-1].strip() for line in on_terminal.out.split("\n")]
    shown = [line for line in shown if line]
    assert shown[0].startswith("notegraph check: 0 errors, 5 warnings, 1 info in 5 files (")
    assert shown[1].startswith("vault/a.md:3:1: warning:")
    assert shown[-1] == shown[0]  # and again at the end


# --- exit codes: one convention for every command --------------------------------------------

BAD_YAML = "site_name: [unclosed\n"

EXIT_CODES = [
    # (case, notes of vault/, other files of the project, command, exit code)
    ("build ok", NOTES, {}, ["build", "vault", "-d", "site"], 0),
    ("build warnings", WARNED, {}, ["build", "vault", "-d", "site"], 0),
    ("build strict warnings", WARNED, {}, ["build", "vault", "-d", "site", "--strict"], 1),
    ("build no vault", NOTES, {}, ["build", "nowhere", "-d", "site"], 2),
    ("build bad mkdocs.yml", NOTES, {"mkdocs.yml": BAD_YAML}, ["build", "vault"], 2),
    ("build refused folder", NOTES, {"mine/x.txt": "x"}, ["build", "vault", "-d", "mine"], 2),
    ("build unknown option", NOTES, {}, ["build", "vault", "--nope"], 2),
    ("serve no vault", NOTES, {}, ["serve", "nowhere"], 2),
    ("serve bad mkdocs.yml", NOTES, {"mkdocs.yml": BAD_YAML}, ["serve", "vault"], 2),
    ("check clean", NOTES, {}, ["check", "vault"], 0),
    ("check warnings", WARNED, {}, ["check", "vault"], 0),
    ("check strict warnings", WARNED, {}, ["check", "vault", "--strict"], 1),
    ("check errors", WARNED, {}, ["check", "vault", "--no-topics"], 1),
    ("check no vault", NOTES, {}, ["check", "nowhere"], 2),
    ("check bad format", NOTES, {}, ["check", "vault", "--format", "xml"], 2),
    ("check bad mkdocs.yml", NOTES, {"mkdocs.yml": BAD_YAML}, ["check", "vault"], 2),
    ("new ok", NOTES, {}, ["new", "Fresh idea", "--vault", "vault"], 0),
    ("new exists", NOTES, {}, ["new", "A", "--vault", "vault"], 2),
    ("new bad video", NOTES, {}, ["new", "Fresh", "--vault", "vault", "--video", "nope"], 2),
    ("new no letters", NOTES, {}, ["new", "???", "--vault", "vault"], 2),
    ("new no vault", NOTES, {}, ["new", "Fresh", "--vault", "nowhere"], 2),
    ("no command", NOTES, {}, [], 2),
    ("unknown command", NOTES, {}, ["publish"], 2),
    ("help", NOTES, {}, ["--help"], 0),
    ("version", NOTES, {}, ["--version"], 0),
]


@pytest.mark.parametrize(
    ("case", "notes", "files", "command", "code"), EXIT_CODES, ids=[e[0] for e in EXIT_CODES]
)
def test_exit_codes(
    tmp_path: Path,
    case: str,
    notes: dict[str, str],
    files: dict[str, str],
    command: list[str],
    code: int,
) -> None:
    """0 done, 1 findings that fail, 2 usage or I/O: every command, with a one-line reason."""
    write_files(tmp_path / "vault", notes)
    write_files(tmp_path, files)
    ran = notegraph(*command, cwd=tmp_path)
    assert ran.code == code, ran.both
    assert "Traceback" not in ran.both
    if code:
        assert "error" in ran.err.splitlines()[-1], ran.err


# --- help and version ------------------------------------------------------------------------


def test_version() -> None:
    ran = notegraph("--version", cwd=Path.cwd())
    assert re.fullmatch(r"notegraph \S+ \(mkdocs 1\.\d+\.\d+, Python 3\.\d+\.\d+\)\n", ran.out)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    found = {"": parser}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


@pytest.mark.parametrize("command", ["", "build", "serve", "check", "new"])
def test_help_is_plain_text_and_states_every_default(command: str) -> None:
    ran = notegraph(*command.split(), "--help", cwd=Path.cwd())
    assert ran.code == 0
    assert "``" not in ran.out and "`" not in ran.out  # no reStructuredText, no Markdown
    assert "exit status" in ran.out and "130" in ran.out
    for action in _commands()[command]._actions:
        if action.option_strings and action.dest not in ("help", "version"):
            assert action.help and "(default: " in action.help, (command, action.dest)
            assert " ".join(action.help.split()[:3]) in " ".join(ran.out.split())


# --- the summary: plurals, where the site is, how to preview it ----------------------------


def test_one_of_everything_is_singular_and_the_summary_says_where_the_site_is(
    tmp_path: Path,
) -> None:
    write_files(tmp_path / "vault", {"a.md": "# A\n\n<div>x</div> [[Topic]], [[A]]\n"})
    ran = notegraph("build", "vault", "-d", "out dir", cwd=tmp_path)
    assert ran.code == 0, ran.err
    assert re.fullmatch(
        r"INFO    -  notegraph: built 1 note, 1 link resolved, 1 topic page, 1 warning in"
        r" [\d.]+ s; the site is in 'out dir' \(preview it: python -m http\.server -d 'out dir',"
        r" then open http://localhost:8000/\)",
        ran.err.splitlines()[-1],
    )
    assert "WARNING -  notegraph: 1 warning in 1 file of vault;" in ran.err
    assert "1 info (unresolved: 1)" in ran.err
    assert "read: 1 note in" in ran.err
    for plural in ("1 notes", "1 warnings", "1 mentions", "1 topics", "1 links", "1 files"):
        assert plural not in ran.err
    topics = (tmp_path / "out dir" / "topics" / "index.html").read_text()
    assert "1 mention" in topics and "1 mentions" not in topics
    home = (tmp_path / "out dir" / "index.html").read_text()
    assert "A knowledge graph of 1 note linking 1 topic:" in home
    checked = notegraph("check", "vault", cwd=tmp_path)
    assert checked.err.startswith("notegraph check: 0 errors, 1 warning, 1 info in 1 file (")

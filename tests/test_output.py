"""Nothing the user owns is deleted: every way of pointing a build at a folder of theirs.

MkDocs empties its site folder before it builds. Each case below points a build at a
folder that holds the user's files (the vault, the folder around it, a folder of documents,
the project) through the ``notegraph`` command, the plugin under plain ``mkdocs build``,
``site_dir`` in ``mkdocs.yml``, and the live preview; each asserts that the build refused
with a one-line message (exit 2 for the command) and that every file is still there.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli import environment, notegraph
from conftest import write_files
from mkdocs.exceptions import Abort, PluginError
from notegraph.core.base.output import MARKER, is_site, refusal

NOTES = {
    "a.md": "---\ntitle: Alpha\n---\nSee [[b]] and [[Gamma]].\n",
    "b.md": "# Beta\n\nBack to [[a]].\n",
    "people/c.md": "# Carol\n",
}
USER_FILES = {"keep.txt": "mine\n", "sub/notes.docx": "a document\n"}


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (vault path -> bytes), to compare before and after."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder with a vault in it (``vault/``) and a folder of the user's (``mine/``)."""
    write_files(tmp_path / "vault", NOTES)
    write_files(tmp_path / "mine", USER_FILES)
    return tmp_path


# --- the `notegraph` command -----------------------------------------------------------------

REFUSED = [
    # (case, site folder relative to workdir, extra arguments, words of the message)
    ("folder of the user's", "mine", [], "holds files notegraph did not write ('keep.txt', 'sub')"),
    ("the vault", "vault", [], "is the vault"),
    ("the vault, forced", "vault", ["--force"], "is the vault"),
    ("folder around the vault", ".", [], "contains the vault"),
    ("folder around the vault, forced", ".", ["--force"], "contains the vault"),
    ("folder of the vault", "vault/people", [], "lies inside the vault"),
    ("folder of the vault, forced", "vault/people", ["--force"], "lies inside the vault"),
    ("a file", "vault/a.md", [], "is a file, not a folder"),
]


@pytest.mark.parametrize(("case", "site", "extra", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_the_command_refuses_a_folder_of_the_users(
    workdir: Path, case: str, site: str, extra: list[str], words: str
) -> None:
    before = files_under(workdir)
    ran = notegraph("build", "vault", "-d", site, *extra, cwd=workdir)
    assert ran.code == 2, ran.err
    assert files_under(workdir) == before  # nothing deleted, nothing written
    errors = [line for line in ran.err.splitlines() if line.startswith("notegraph: error:")]
    assert len(errors) == 1 and errors[0].startswith("notegraph: error: not building the site")
    assert words in errors[0]
    assert "Traceback" not in ran.err


@pytest.mark.parametrize(
    ("docs_dir", "words"),
    [
        ("docs", "The 'docs_dir' should not be within the 'site_dir'"),  # MkDocs' own rule
        ("../elsewhere", "contains the configuration"),
    ],
)
def test_the_project_folder_is_refused_even_forced(
    workdir: Path, docs_dir: str, words: str
) -> None:
    """``-d .`` in a project: the folder holds mkdocs.yml and maybe the docs."""
    project = workdir / "project"
    config = f"site_name: x\ndocs_dir: {docs_dir}\nplugins: [notegraph]\n"
    write_files(project, {"mkdocs.yml": config, "docs/x.md": "x"})
    (workdir / "elsewhere").mkdir()
    before = files_under(workdir)
    for extra in ([], ["--force"]):
        ran = notegraph("build", workdir / "vault", "-d", ".", *extra, cwd=project)
        assert ran.code == 2, ran.err
        assert words in ran.err
    assert files_under(workdir) == before


def test_force_empties_a_folder_of_the_users_and_marks_it(workdir: Path) -> None:
    notes = files_under(workdir / "vault")
    ran = notegraph("build", "vault", "-d", "mine", "--force", cwd=workdir)
    assert ran.code == 0, ran.err
    assert not (workdir / "mine" / "keep.txt").exists()  # what --force says it does
    assert (workdir / "mine" / MARKER).is_file() and is_site(workdir / "mine")
    assert files_under(workdir / "vault") == notes


def test_a_site_of_ours_is_rebuilt_without_force(workdir: Path) -> None:
    """A marked folder is ours: rebuilt in place, stale pages of deleted notes gone."""
    assert notegraph("build", "vault", "-d", "out", cwd=workdir).code == 0
    assert (workdir / "out" / "notes" / "people" / "c" / "index.html").is_file()
    (workdir / "vault" / "people" / "c.md").unlink()
    notes = files_under(workdir / "vault")
    ran = notegraph("build", "vault", "-d", "out", cwd=workdir)
    assert ran.code == 0, ran.err
    assert not (workdir / "out" / "notes" / "people" / "c").exists()
    assert files_under(workdir / "vault") == notes


def test_a_site_built_before_sites_were_marked_is_ours(workdir: Path) -> None:
    write_files(workdir / "old", {"assets/notegraph/notegraph.css": "", "index.html": "old"})
    ran = notegraph("build", "vault", "-d", "old", cwd=workdir)
    assert ran.code == 0, ran.err
    assert (workdir / "old" / "index.html").read_text() != "old"  # rebuilt
    assert (workdir / "old" / MARKER).is_file()


def test_a_hidden_folder_of_the_vault_is_no_part_of_it(workdir: Path) -> None:
    """``vault/.site`` is not read as notes: it is like any folder outside the vault."""
    write_files(workdir / "vault" / ".site", {"keep.txt": "mine"})
    before = files_under(workdir)
    ran = notegraph("build", "vault", "-d", "vault/.site", cwd=workdir)
    assert ran.code == 2 and "--force" in ran.err, ran.err
    assert files_under(workdir) == before
    (workdir / "vault" / ".site" / "keep.txt").unlink()
    assert notegraph("build", "vault", "-d", "vault/.site", cwd=workdir).code == 0


def test_a_site_inside_its_vault_is_not_read_back(workdir: Path) -> None:
    """``notegraph build .`` in a vault writes ``site/`` there; neither the next build nor
    ``notegraph check .`` reads the built site as notes or attachments."""
    vault = workdir / "vault"
    check_before = notegraph("check", ".", cwd=vault)
    first = notegraph("build", ".", cwd=vault)
    assert first.code == 0, first.err
    assert (vault / "site" / MARKER).is_file()
    second = notegraph("build", ".", cwd=vault)
    assert second.code == 0, second.err
    assert not (vault / "site" / "notes" / "site").exists()  # no page made from the site
    assert "site/index.html" not in second.err
    check_after = notegraph("check", ".", cwd=vault)
    assert check_after.code == check_before.code == 0
    found = [line for line in check_after.out.splitlines() if "site" not in line.split(":")[0]]
    assert found == check_before.out.splitlines()
    assert [line for line in check_after.out.splitlines() if line.startswith("site")] == [
        "site: info: a site notegraph built; it is not read [hidden]"
    ]
    assert files_under(vault / "people") == {"c.md": b"# Carol\n"}


# --- the plugin under plain MkDocs: `mkdocs build`, site_dir in mkdocs.yml --------------------


def write_project(root: Path, site_dir: str | None = None) -> Path:
    """A project: ``notes/`` (the vault), ``docs/``, mkdocs.yml (with `site_dir` if given)."""
    write_files(root / "notes", NOTES)
    write_files(root / "docs", {"index.md": "# Home\n"})
    write_files(root / "papers", USER_FILES)
    config: dict[str, Any] = {
        "site_name": "x",
        "plugins": ["search", {"notegraph": {"notes_dir": "notes"}}],
    }
    if site_dir is not None:
        config["site_dir"] = site_dir
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "mkdocs.yml"


PLUGIN_REFUSED = [
    ("notes", "is the vault"),
    ("papers", "holds files notegraph did not write"),
    ("notes/people", "lies inside the vault"),
]


@pytest.mark.parametrize(("site_dir", "words"), PLUGIN_REFUSED, ids=[r[0] for r in PLUGIN_REFUSED])
def test_site_dir_in_mkdocs_yml_is_refused(
    tmp_path: Path, build_config: Any, site_dir: str, words: str
) -> None:
    """``site_dir:`` in mkdocs.yml, built through the MkDocs API (``mkdocs build``)."""
    config_file = write_project(tmp_path, site_dir)
    before = files_under(tmp_path)
    with pytest.raises((Abort, PluginError)) as failure:
        build_config(config_file, tmp_path / site_dir)
    assert files_under(tmp_path) == before
    logged = "\n".join(getattr(failure.value, "__notes__", []))
    assert "notegraph: not building the site" in logged and words in logged


def test_mkdocs_build_into_the_notes_fails_and_keeps_them(tmp_path: Path) -> None:
    """``mkdocs build -d notes``: the plain MkDocs command, the plugin's one-line error."""
    write_project(tmp_path)
    before = files_under(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", "notes"],
        cwd=tmp_path,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert files_under(tmp_path) == before
    assert "notegraph: not building the site: '" in result.stderr
    assert "is the vault; building there would delete the notes" in result.stderr
    assert "Traceback" not in result.stderr


def test_mkdocs_build_forced_by_the_environment(tmp_path: Path) -> None:
    write_project(tmp_path, "papers")
    command = [sys.executable, "-m", "mkdocs", "build"]
    refused = subprocess.run(command, cwd=tmp_path, env=environment(), capture_output=True)
    assert refused.returncode == 1 and (tmp_path / "papers" / "keep.txt").is_file()
    forced = subprocess.run(
        command, cwd=tmp_path, env=environment({"NOTEGRAPH_FORCE": "1"}), capture_output=True
    )
    assert forced.returncode == 0, forced.stderr
    assert not (tmp_path / "papers" / "keep.txt").exists()
    assert (tmp_path / "notes" / "a.md").is_file()


def test_refusal_table() -> None:
    """The rules themselves, on paths that need not exist."""
    root = Path("/nonexistent/notegraph-test")
    assert refusal(root / "vault", root / "vault") is not None
    assert refusal(root, root / "vault") is not None
    assert refusal(root / "site", root / "vault") is None
    keep = [("the configuration", root / "project" / "mkdocs.yml")]
    assert "contains the configuration" in str(
        refusal(root / "project", root / "vault", keep=keep, force=True)
    )


# --- the live preview --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve stopped: {process.communicate()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


def test_serve_ignores_site_dir_and_sigterm_removes_its_temporary_folders(
    tmp_path: Path,
) -> None:
    """``notegraph serve`` in a project whose mkdocs.yml has ``site_dir: notes``: the
    preview builds into a temporary folder, the notes stay; SIGTERM stops it like Ctrl-C,
    exit 0, and its temporary folders (the site, the built-in docs folder) are gone."""
    project = tmp_path / "project"
    write_project(project, "notes")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    other = tmp_path / "other"  # a vault served with the built-in configuration
    write_files(other, NOTES)
    notes = files_under(project / "notes")
    for cwd, vault in ((project, "notes"), (tmp_path, "other")):
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "notegraph.cli", "serve", vault, "-a", f"127.0.0.1:{port}"],
            cwd=cwd,
            env=environment({"TMPDIR": str(temporary)}),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/notes/a/", process)
            assert any(temporary.iterdir())  # the preview's site lives there
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, err
        assert sorted(temporary.iterdir()) == []
        assert files_under(project / "notes") == notes


def test_a_build_stopped_by_sigterm_exits_130_and_leaves_no_temporary_folder(
    tmp_path: Path,
) -> None:
    """SIGTERM in the middle of rendering (workers running): exit 130, no traceback, the
    built-in configuration's temporary docs folder removed, the vault untouched."""
    write_files(
        tmp_path / "vault", {f"n{i}.md": f"# Note {i}\n\n[[n{i + 1}]]\n" for i in range(150)}
    )
    notes = files_under(tmp_path / "vault")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "notegraph.cli", "build", "vault", "-d", "site"],
        cwd=tmp_path,
        env=environment({"TMPDIR": str(temporary)}),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    logged = []
    for line in process.stderr:
        logged.append(line)
        if "notegraph: graph:" in line:  # rendering starts now
            process.send_signal(signal.SIGTERM)
            break
    logged += process.stderr.readlines()
    assert process.wait(timeout=60) == 130, "".join(logged)
    assert "Traceback" not in "".join(logged)
    assert sorted(temporary.iterdir()) == []
    assert files_under(tmp_path / "vault") == notes

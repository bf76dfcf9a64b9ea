"""Parsing and linking in forked processes (`notegraph.core.base.parallel`) give exactly what one
process gives: the same notes, links, sentences and diagnostics, in the same order."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from notegraph.core.base.parallel import Forked, map_forked
from notegraph.core.base.report import Report
from notegraph.core.linker.links import link_vault
from notegraph.core.vault.notes import load_vault
from notegraph.core.vault.parsecache import PARSES

NOTES = 260  # above map_forked's minimum, so that the workers really run


def write_vault(root: Path) -> None:
    for n in range(NOTES):
        folder = root / f"f{n % 3}"
        folder.mkdir(exist_ok=True)
        frontmatter = "title: [unclosed\n" if n % 50 == 7 else f"title: Note {n}\n"
        (folder / f"note_{n}.md").write_text(
            f"---\n{frontmatter}videoId: 7gaPPrAd7nc\n---\n# Note {n}\n\n"
            f"Links to [[note_{(n + 1) % NOTES}#Nowhere]] and [[Topic {n % 9}]] [00:0{n % 9}:10]."
            f" Also [[note_{n % 5}]] and [[dup]] here.\n",
            encoding="utf-8",
        )
    (root / "f1" / "note_1.md").rename(root / "f0" / "dup.md")  # [[dup]] is ambiguous
    (root / "f2" / "dup.md").write_text("# Dup\n")


def load(root: Path, workers: int) -> tuple[object, object, list[str]]:
    PARSES.clear()  # parse for real, in the workers
    report = Report()
    vault = load_vault(root, report, workers=workers)
    links = link_vault(vault, report, workers=workers)
    return vault.notes, links, [str(d) for d in report.diagnostics]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_workers_parse_and_link_like_one_process(tmp_path: Path) -> None:
    write_vault(tmp_path)
    notes_1, links_1, report_1 = load(tmp_path, workers=1)
    notes_2, links_2, report_2 = load(tmp_path, workers=2)
    assert notes_2 == notes_1
    assert links_2.targets == links_1.targets  # type: ignore[attr-defined]
    assert links_2.backlinks == links_1.backlinks  # type: ignore[attr-defined]
    assert links_2.mentions == links_1.mentions  # type: ignore[attr-defined]
    assert report_2 == report_1
    assert any("frontmatter" in line for line in report_1)
    assert any("no heading 'Nowhere'" in line for line in report_1)
    assert sum("'dup' matches several notes" in line for line in report_1) == 1


def test_map_forked_keeps_the_order_of_the_items() -> None:
    items = list(range(1000))
    assert map_forked(str, items, workers=2) == [str(i) for i in items]
    assert map_forked(str, items, workers=1) == [str(i) for i in items]


def _sigterm_disposition(_: int) -> str:
    return "default" if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else "handled"


def test_workers_end_on_sigterm_even_when_the_command_handles_it() -> None:
    """The `notegraph` command turns SIGTERM into a KeyboardInterrupt (a Python handler,
    inherited by forked workers). A worker must not keep it: a Python handler runs only
    between steps of Python code, so a worker that the pool's shutdown signals while it
    enters its wait for the next task missed the signal and hung the build (seen in CI)."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        seen = map_forked(_sigterm_disposition, range(40), workers=2, minimum=1)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert set(seen) == {"default"}


def test_a_forked_call_gives_its_result_or_its_error_and_runs_beside_the_caller(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    (site / "notes").mkdir(parents=True)
    (site / "notes" / "a.html").write_text("<p>a</p>")
    listing = Forked(sorted, [str(p.relative_to(site)) for p in site.rglob("*")])
    assert listing.result() == ["notes", "notes/a.html"]
    with pytest.raises(FileNotFoundError):  # the process's error, raised in the caller
        Forked(os.listdir, str(tmp_path / "gone")).result()
    slow = Forked(os.system, "sleep 30")  # the caller goes on meanwhile, and may stop it
    process = slow._process
    assert process is not None and process.is_alive()
    slow.close()
    assert not process.is_alive()

"""The workflows: nothing is published before the notes are checked and the tests pass, and
a CI log says when the corpus tests are skipped, and why."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"


def steps_run(job: dict) -> list[str]:
    return [step.get("run", "") for step in job.get("steps", [])]


def test_deploy_publishes_only_after_the_check_and_the_tests() -> None:
    deploy = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text())
    jobs = deploy["jobs"]
    assert set(jobs["build"]["needs"]) == {"check", "test"}
    assert jobs["deploy"]["needs"] == "build"
    assert "notegraph check --strict --format github" in steps_run(jobs["check"])
    assert ".ci/run" in steps_run(jobs["test"])
    assert any("mkdocs build --strict" in run for run in steps_run(jobs["build"]))


def test_deploys_keep_the_site_and_its_manifest_between_runs() -> None:
    """A deploy renders only what the push changed: the build job restores the last site and
    the cache folder, whose manifest `mkdocs build --dirty` reads."""
    build = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text())["jobs"]["build"]
    caches = [step for step in build["steps"] if step.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == 1
    kept = caches[0]["with"]["path"].split()
    assert set(kept) == {".cache/notegraph", "site"}
    assert caches[0]["with"]["restore-keys"]  # a new commit restores the last one's cache
    assert any("--dirty" in run and "--site-dir site" in run for run in steps_run(build))


def test_pull_requests_run_the_same_check_and_tests() -> None:
    pr = yaml.safe_load((WORKFLOWS / "pr.yml").read_text())
    assert "notegraph check --strict --format github" in steps_run(pr["jobs"]["check"])
    assert ".ci/run" in steps_run(pr["jobs"]["test"])
    assert ".ci/corpus-notice" in (ROOT / ".ci" / "run").read_text()


def run_notice(checkout: Path, summary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(checkout / ".ci" / "corpus-notice")],
        env={
            "PATH": "/usr/bin:/bin",
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(summary),
        },
        capture_output=True,
        text=True,
        check=True,
    )


def test_the_log_says_when_the_corpus_tests_are_skipped(tmp_path: Path) -> None:
    checkout = tmp_path / "repo"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "corpus-notice", checkout / ".ci" / "corpus-notice")
    summary = tmp_path / "summary.md"
    skipped = run_notice(checkout, summary)
    corpus = tmp_path / "shared" / "corpora" / "lennyspodcast"
    assert skipped.stdout.splitlines() == [
        f"CI: corpus tests skipped: {corpus} is not here (the real notes live beside the"
        " repository on the development machine, not in it); every other test runs",
        f"::notice title=Corpus tests skipped::corpus tests skipped: {corpus} is not here (the"
        " real notes live beside the repository on the development machine, not in it); every"
        " other test runs",
    ]
    assert "corpus tests skipped" in summary.read_text()
    corpus.mkdir(parents=True)
    ran = run_notice(checkout, tmp_path / "again.md")
    assert ran.stdout == f"CI: corpus tests run on {corpus}\n"

"""Benchmark of live preview: how long a save takes to show, and how fast `notegraph check` is.

    python benchmarks/preview.py [VAULT] [--runs 3]

Builds VAULT (default: ../shared/corpora/lennyspodcast) the way ``notegraph serve`` does
(built-in config, ``serve --dirty``: the config is reloaded on every rebuild, the plugin
instance and its parse cache are kept), then, `runs` times, appends a sentence to one note and
rebuilds, timing the rebuild and its phases. Also times ``notegraph check`` on the vault in
a fresh process and counts its findings per code and level.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from notegraph.cli.main import DEFAULT_CONFIG, plugin_overrides  # noqa: E402
from notegraph.core.vault.parsecache import PARSES  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "lennyspodcast"


def check_numbers(vault: Path) -> tuple[float, Counter[tuple[str, str]], int]:
    clock = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "notegraph.cli", "check", str(vault), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    seconds = time.perf_counter() - clock
    found = json.loads(result.stdout)
    return seconds, Counter((d["code"], d["level"]) for d in found), result.returncode


def preview_numbers(vault: Path, runs: int) -> dict[str, object]:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    work = Path(tempfile.mkdtemp(prefix="notegraph-preview-"))
    try:
        copy = work / "vault"
        shutil.copytree(vault, copy)
        docs = work / "docs"
        docs.mkdir()
        given = plugin_overrides(DEFAULT_CONFIG, {"vault": str(copy)})  # as `notegraph serve`
        os.chdir(work)

        def one_build(first: bool) -> tuple[float, dict[str, float], int]:
            parsed = PARSES.parses
            clock = time.perf_counter()
            config = load_config(
                str(DEFAULT_CONFIG), docs_dir=str(docs), site_dir=str(work / "site"), **given
            )
            if first:
                config.plugins.on_startup(command="serve", dirty=True)
            build(config, dirty=not first)
            seconds = time.perf_counter() - clock
            plugin = config.plugins["notegraph"]
            timings = dict(plugin.phases.timings)
            return seconds, timings, PARSES.parses - parsed

        first, first_phases, first_parses = one_build(True)
        note = sorted(copy.glob("*.md"))[len(list(copy.glob("*.md"))) // 2]
        rebuilds: list[tuple[float, dict[str, float], int]] = []
        for run in range(runs):
            with note.open("a", encoding="utf-8") as file:
                file.write(f"\nAn edit saved during the preview benchmark ({run}).\n")
            rebuilds.append(one_build(False))
        phases = {
            key: statistics.median(r[1].get(key, 0.0) for r in rebuilds) for key in rebuilds[0][1]
        }
        return {
            "notes": len(list(copy.rglob("*.md"))),
            "first build (s)": round(first, 1),
            "first build parse (s)": round(first_phases.get("parse", 0.0), 2),
            "first parses": first_parses,
            "rebuild after one-note save (s, median)": round(
                statistics.median(r[0] for r in rebuilds), 1
            ),
            "rebuild parses": [r[2] for r in rebuilds],
            "rebuild phases (s, median)": {k: round(v, 2) for k, v in phases.items()},
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path, nargs="?", default=CORPUS)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    vault = args.vault.resolve()
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )
    seconds, counts, code = check_numbers(vault)
    print(f"notegraph check: {seconds:.1f} s, exit {code}")
    for (code_name, level), n in sorted(counts.items()):
        print(f"  {code_name:16} {level:8} {n}")
    for key, value in preview_numbers(vault, args.runs).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()

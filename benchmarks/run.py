"""Build synthetic (or real) vaults with notegraph and measure them against the floor.

For each size N: generate the vault (benchmarks/vault.py, fixed seed; or take the folder
given with --vault), then in fresh
processes (1) the floor: Python-Markdown rendering of the same notes with the same
extensions, writing nothing; (2) ``notegraph build`` with the built-in default config.
Prints wall time, peak RSS, output size, the ratio notegraph / floor, per-note costs and
the plugin's per-phase times (from NOTEGRAPH_TIMINGS).

    python benchmarks/run.py 1000 5000 20000 [--vault ../shared/corpora/lennyspodcast]
                             [--work /tmp/ngbench]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from vault import generate  # noqa: E402

FLOOR = """
import sys, pathlib, markdown, frontmatter
md = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc"],
                       extension_configs={"toc": {"permalink": True}})
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    md.reset().convert(frontmatter.loads(path.read_text(encoding="utf-8")).content)
"""


def measure(
    command: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    said: list[str] | None = None,
) -> dict[str, float]:
    """Wall seconds and peak RSS (MB) of one command run in a fresh process (its stderr's
    lines appended to `said`, if given)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if said is not None:
        said.extend(stderr.decode(errors="replace").splitlines())
    if status != 0:
        sys.stderr.write(stderr.decode(errors="replace")[-3000:])
        raise SystemExit(f"{command[:3]} failed")
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024}


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def run(count: int | Path, work: Path) -> dict[str, object]:
    """Build a synthetic vault of `count` notes, or the existing vault at `count`."""
    if isinstance(count, Path):
        vault, site = count, work / f"site-{count.name}"
    else:
        vault, site = work / f"vault-{count}", work / f"site-{count}"
        generate(count, vault, seed=1)
    notes = sum(1 for _ in vault.rglob("*.md"))
    floor = measure([sys.executable, "-c", FLOOR, str(vault)], work)
    timings = work / f"timings-{site.name}.json"
    build = measure(
        [sys.executable, "-m", "notegraph.cli", "build", str(vault), "-d", str(site)],
        work,
        {"NOTEGRAPH_TIMINGS": str(timings), "NO_MKDOCS_2_WARNING": "1"},
    )
    phases = json.loads(timings.read_text()) if timings.exists() else {}
    pages = sum(1 for _ in site.rglob("*.html"))
    result = {
        "notes": notes,
        "pages": pages,
        "floor_s": round(floor["seconds"], 1),
        "floor_rss_mb": round(floor["rss_mb"]),
        "build_s": round(build["seconds"], 1),
        "build_rss_mb": round(build["rss_mb"]),
        "ratio": round(build["seconds"] / floor["seconds"], 2),
        "ms_per_note": round(1000 * build["seconds"] / notes, 2),
        "site_mb": round(size_mb(site), 1),
        "kb_per_note": round(1024 * size_mb(site) / notes, 1),
        "phases_s": {k: round(v, 2) for k, v in phases.items()},
    }
    print(json.dumps({str(count): result}), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", help="synthetic vaults of these sizes")
    parser.add_argument("--vault", type=Path, action="append", default=[], help="a real vault")
    parser.add_argument("--work", type=Path, default=Path("/tmp/notegraph-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )
    runs: list[int | Path] = [*args.sizes, *(v.resolve() for v in args.vault)]
    results = {str(size): run(size, args.work) for size in runs}
    print(
        "\n| notes | pages | floor (Markdown only) | notegraph | ratio | peak RSS: main, "
        "largest child | output | per note |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for result in results.values():
        phases = result["phases_s"]
        assert isinstance(phases, dict)
        print(
            f"| {result['notes']:,} | {result['pages']:,} | {result['floor_s']} s | "
            f"{result['build_s']} s | {result['ratio']}× | "
            f"{phases.get('rss_main_mb', 0):.0f} MB, {phases.get('rss_children_mb', 0):.0f} MB | "
            f"{result['site_mb']} MB | {result['ms_per_note']} ms, {result['kb_per_note']} KB |"
        )


if __name__ == "__main__":
    main()

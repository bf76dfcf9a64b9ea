"""What rendering Obsidian's dialect costs: the same vault, before and after, in one run.

Two measures, each in fresh processes, alternating so that a loaded machine slows both
sides alike:

1. Markdown alone: Python-Markdown over every note with the extensions the site used
   before (attr_list, md_in_html, tables, toc) and with `notegraph.core.mdx.extensions.EXTENSIONS`
   (footnotes, SuperFences, Highlight, Mark, Tasklist, Arithmatex, callouts, dialect...).
2. The whole build: ``notegraph build VAULT`` with the package of another checkout
   (``--before``, e.g. a worktree of main) and with this one.

    python benchmarks/dialect_cost.py ../shared/corpora/lennyspodcast --before /work/main \\
        [--runs 3] [--work /tmp/ngdialect]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

FLOOR = """
import sys, pathlib, markdown, frontmatter
from notegraph.core.mdx.extensions import EXTENSIONS
if sys.argv[2] == "before":
    names = ["attr_list", "md_in_html", "tables", "toc"]
    configs = {"toc": {"permalink": True}}
else:
    names = list(EXTENSIONS)
    configs = {name: dict(config) for name, config in EXTENSIONS.items() if config}
    configs["toc"] = {"permalink": True}
md = markdown.Markdown(extensions=names, extension_configs=configs)
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    md.reset().convert(frontmatter.loads(path.read_text(encoding="utf-8")).content)
"""


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, its child processes included) of one
    command in a fresh process (its output thrown away), run in `cwd` (a folder without
    mkdocs.yml: the build takes the built-in configuration). On a shared, loaded machine
    the CPU seconds are the steadier measure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="checkout to compare with")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ngdialect"))
    args = parser.parse_args()
    args.vault, args.before, args.work = (p.resolve() for p in (args.vault, args.before, args.work))
    args.work.mkdir(parents=True, exist_ok=True)
    plugins = {"before": args.before / "plugins", "after": HERE / "plugins"}
    floors: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    builds: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    for run in range(args.runs):
        for side in ("before", "after"):
            env = {"PYTHONPATH": str(HERE / "plugins")}
            floor = [sys.executable, "-c", FLOOR, str(args.vault), side]
            floors[side].append(timed(floor, env, args.work))
            site = args.work / f"site-{side}"
            build = [sys.executable, "-m", "notegraph.cli", "build", str(args.vault)]
            build += ["-d", str(site), "--force"]
            builds[side].append(timed(build, {"PYTHONPATH": str(plugins[side])}, args.work))
            (fw, fc), (bw, bc) = floors[side][-1], builds[side][-1]
            print(f"run {run + 1}: {side}: floor {fw:.1f} s wall, {fc:.1f} s CPU; "
                  f"build {bw:.1f} s wall, {bc:.1f} s CPU", flush=True)  # fmt: skip
    print(f"\n{args.vault.name}, {args.runs} runs each, median (min-max):")
    for name, results in (("Markdown alone", floors), ("notegraph build", builds)):
        for measure, index in (("wall", 0), ("CPU", 1)):
            parts = []
            medians = {}
            for side in ("before", "after"):
                values = [result[index] for result in results[side]]
                medians[side] = statistics.median(values)
                parts.append(f"{side} {medians[side]:.1f} s ({min(values):.1f}-{max(values):.1f})")
            ratio = medians["after"] / medians["before"]
            print(f"  {name}, {measure}: {', '.join(parts)}; after/before {ratio:.2f}")


if __name__ == "__main__":
    main()

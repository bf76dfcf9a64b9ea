"""Time the notes of issue #13's table (and a few more) at two sizes: is each one linear?

Each row is one note a stranger could send, next to an ordinary note that links to it. For
each row and each size (1x: the size the issue measured; 4x: four times the note), in fresh
processes with a time limit: ``notegraph check`` and ``notegraph build`` (the built-in
configuration: Material, Pagefind, graphs), their wall time, the peak RSS of the largest
process, the exit code, and whether the note's page was written. The last column is
4x / 1x of the build's time above a build of the same vault with an empty note: about 4 for
a linear row, 1 for a row a limit cuts short; 16 would be quadratic.

    python benchmarks/adversarial.py [ROW ...] [--sizes 1 4] [--limit 600] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

VIDEO = "---\ntitle: Adversarial\nvideoId: 7gaPPrAd7nc\n---\n"


def yaml_bomb(size: float) -> str:
    levels = round(9 * size)  # each level multiplies what the aliases stand for by 9
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * 9) + "]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + f"\nvideoId: *a{levels - 1}\n---\nBody.\n"


def links_paragraph(size: float) -> str:
    return "\n".join(
        f"Sentence {i} of the long paragraph cites [[Topic {i % 40} | topic {i % 40}]] here."
        for i in range(round(3000 * size))
    )


ROWS: dict[str, Callable[[float], str]] = {
    # the table, at its sizes for size 1
    "dashes": lambda k: "- " * round(500 * k) + "x\n",
    "nested list": lambda k: "".join("\t" * i + "- x\n" for i in range(round(1000 * k**0.5))),
    "long names": lambda k: (
        f"---\ntags: [{'t' * round(300 * k)}]\n---\n[[{'w' * round(300 * k)}]]\n"
    ),
    "brackets": lambda k: "[" * round(200_000 * k) + "\n",
    "double brackets": lambda k: "[[" * round(100_000 * k) + "\n",
    "open anchors": lambda k: VIDEO + '<a class="yt-timestamp" ' * round(20_000 * k) + "\n",
    "links paragraph": links_paragraph,
    "wikilinks on one line": lambda k: "[[a]]" * round(200_000 * k) + "\n",
    "yaml bomb": yaml_bomb,
    "30 MB note": lambda k: (
        "A sentence of the huge note with [[a link]] and **bold** text.\n\n" * round(470_000 * k)
    ),
    # more of the same kind
    "link addresses": lambda k: "[a](" * round(50_000 * k) + "\n",
    "emphasis": lambda k: "*a " * round(200_000 * k) + "\n",
    "open tags": lambda k: "<a " * round(100_000 * k) + "\n",
    "nested quotes": lambda k: "> " * round(2000 * k) + "x\n",
    "html nesting": lambda k: "<div>" * round(50_000 * k) + "x\n",
    "stamps": lambda k: (
        VIDEO
        + "".join(
            f'Claim {i} <a class="yt-timestamp" data-t="{i // 3600:02d}:{i // 60 % 60:02d}:'
            f'{i % 60:02d}">[{i // 60 % 60:02d}:{i % 60:02d}]</a>. '
            for i in range(round(20_000 * k))
        )
    ),
}
PLAIN = "# Plain\n\nAn ordinary note that links to [[x]].\n"


def run(command: list[str], limit: float) -> dict[str, float | int | str]:
    """Wall seconds, peak RSS (MB) and exit code of one command, killed after `limit` s."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    timer = threading.Timer(limit, process.kill)
    timer.start()
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # the process and the children it waited for
    timer.cancel()
    seconds = time.perf_counter() - start
    code: int | str = os.waitstatus_to_exitcode(status)
    return {
        "seconds": seconds,
        "rss_mb": usage.ru_maxrss / 1024,
        "code": "killed" if seconds >= limit else code,
        "output": output,
    }


def measure(name: str, text: str, work: Path, limit: float) -> dict[str, object]:
    vault, site = work / "vault", work / "site"
    shutil.rmtree(work, ignore_errors=True)
    vault.mkdir(parents=True)
    (vault / "x.md").write_text(text, encoding="utf-8")
    (vault / "plain.md").write_text(PLAIN, encoding="utf-8")
    cli = [sys.executable, "-m", "notegraph.cli"]
    check = run([*cli, "check", str(vault)], limit)
    build = run([*cli, "build", str(vault), "-d", str(site)], limit)
    page = site / "notes" / "x" / "index.html"
    said = [
        line.split("x.md", 1)[1][:100]
        for line in str(build["output"]).splitlines()
        if "x.md:" in line and "Doc file" not in line  # the findings, summed up per code
    ]
    return {
        "row": name,
        "bytes": len(text.encode()),
        "check": check,
        "build": build,
        "page": page.is_file(),
        "said": said[0] if said else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="*", help=f"rows to run (default all): {', '.join(ROWS)}")
    parser.add_argument("--sizes", type=float, nargs=2, default=(1.0, 4.0))
    parser.add_argument("--limit", type=float, default=600, help="seconds per command")
    parser.add_argument("--work", type=Path, default=Path("/tmp/notegraph-adversarial"))
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), "
        f"{platform.machine()}, Python {platform.python_version()}",
        flush=True,
    )
    floor = min(  # the first build of a process tree is the slowest: take the best of two
        float(measure("empty note", "", args.work, args.limit)["build"]["seconds"])  # type: ignore[index]
        for _ in range(2)
    )
    print(f"baseline build (same vault, empty note): {floor:.1f} s", flush=True)
    print(
        "\n| note | size 1x | check | build | peak RSS | size 4x | check | build | peak RSS "
        "| build 4x/1x above baseline | page | what the build says |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.rows or ROWS:
        small, large = (
            measure(name, ROWS[name](size), args.work, args.limit) for size in args.sizes
        )
        cells = []
        for result in (small, large):
            check, build = result["check"], result["build"]
            assert isinstance(check, dict) and isinstance(build, dict)
            cells += [
                f"{int(result['bytes']):,} B",  # type: ignore[call-overload]
                f"{check['seconds']:.1f} s ({check['code']})",
                f"{build['seconds']:.1f} s ({build['code']})",
                f"{build['rss_mb']:.0f} MB",
            ]
        times = [float(r["build"]["seconds"]) - floor for r in (small, large)]  # type: ignore[index]
        ratio = f"{times[1] / times[0]:.1f}" if times[0] > 0.3 else "(≈ baseline)"
        pages = "yes" if small["page"] and large["page"] else "NO"
        said = str(small["said"]).replace("|", "\\|")
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} | {pages} | {said} |", flush=True)


if __name__ == "__main__":
    main()

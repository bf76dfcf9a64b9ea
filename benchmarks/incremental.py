"""Builds after small edits, as CI deploys them: what issue #18 measures.

For each vault (copied first: the original is never touched), in fresh processes and in this
order: the Markdown floor (`run.FLOOR`), a clean build, then a build after each edit, each
into the same site folder:

1. one sentence added to the first paragraph of a note of median size;
2. a link to the hub (the note with the most backlinks) added to another note;
3. a note renamed (its file moved to a new name).

A build gets ``--cache DIR`` when ``notegraph build`` has that option (incremental builds);
until then each edit costs a full build, which is what this measures. Prints one JSON line
per vault: wall seconds and peak RSS (MB) of each step, and what the build said it did
("incremental build: 3 of 2,100 pages changed", "full build: why") and the seconds of its
stages (``NOTEGRAPH_TIMINGS``). With ``--verify``, a
clean build of the final state (from the same layout cache) goes into another folder and
must equal the incremental site byte for byte.

    python benchmarks/incremental.py ../shared/corpora/lennyspodcast [--work /tmp/ngincr] [--verify]
        [--until one_sentence|link_to_hub|rename]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run import FLOOR, measure  # noqa: E402

BUILD = [sys.executable, "-m", "notegraph.cli", "build"]


def has_cache_option() -> bool:
    helped = subprocess.run([*BUILD, "--help"], capture_output=True, text=True, check=False)
    return "--cache" in helped.stdout


def notes_of(vault: Path) -> list[Path]:
    return sorted(p for p in vault.rglob("*.md") if p.is_file())


def median_note(vault: Path) -> Path:
    notes = sorted(notes_of(vault), key=lambda p: (p.stat().st_size, p.as_posix()))
    return notes[len(notes) // 2]


def hub_title(vault: Path) -> str:
    """The title of the note most linked to, read from the core's graph."""
    from notegraph.core.pipeline import build_site

    site = build_site(vault).site
    notes = [n for n, kind in site.G.nodes(data="kind") if kind == "note"]
    hub = max(notes, key=lambda n: (site.G.in_degree(n), str(n)))
    return str(site.G.nodes[hub]["title"])


def add_sentence(note: Path) -> None:
    text = note.read_text(encoding="utf-8")
    lines = text.split("\n")
    body = next(i for i, line in enumerate(lines) if line.strip() and i > _frontmatter_end(lines))
    lines[body] += " One more sentence, for the benchmark."
    note.write_text("\n".join(lines), encoding="utf-8")


def _frontmatter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        return next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
    return -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vaults", type=Path, nargs="+")
    parser.add_argument("--work", type=Path, default=Path("/tmp/notegraph-incremental"))
    parser.add_argument("--verify", action="store_true", help="compare with a clean build")
    parser.add_argument(
        "--until", choices=EDITS, default=EDITS[-1], help="stop after this edit's build"
    )
    args = parser.parse_args()
    cache = has_cache_option()
    for original in args.vaults:
        result = bench(original, args.work / original.name, cache, args.verify, args.until)
        print(json.dumps({original.name: {"incremental": cache, **result}}), flush=True)


EDITS = ("one_sentence", "link_to_hub", "rename")


def bench(
    original: Path, work: Path, cache: bool, verify: bool, until: str = EDITS[-1]
) -> dict[str, object]:
    """The steps of the module's docstring on a copy of `original`, in `work`."""
    shutil.rmtree(work, ignore_errors=True)
    vault, site = work / "vault", work / "site"
    shutil.copytree(original, vault)
    build = [*BUILD, str(vault), "-d", str(site)]
    if cache:
        build += ["--cache", str(work / "cache")]
    env = {"NO_MKDOCS_2_WARNING": "1"}
    steps: dict[str, dict[str, float]] = {}
    did: dict[str, str] = {}

    stages: dict[str, dict[str, float]] = {}

    def step(name: str) -> None:
        said: list[str] = []
        timings = work / f"{name}.timings.json"
        steps[name] = measure(build, work, {**env, "NOTEGRAPH_TIMINGS": str(timings)}, said)
        did[name] = next((line for line in said if _DID.search(line)), "")
        if timings.is_file():  # seconds of each stage, as the build counted them
            read = json.loads(timings.read_text(encoding="utf-8"))
            stages[name] = {k: round(v, 1) for k, v in read.items() if isinstance(v, float)}
        print(f"{original.name} {name}: {steps[name]} {did[name]}", file=sys.stderr, flush=True)

    steps["floor"] = measure([sys.executable, "-c", FLOOR, str(vault)], work)
    step("clean")
    for edit in EDITS[: EDITS.index(until) + 1]:
        if edit == "one_sentence":
            add_sentence(median_note(vault))
        elif edit == "link_to_hub":
            hub = hub_title(vault)
            linking = next(p for p in notes_of(vault) if p.stem != hub)
            text = linking.read_text(encoding="utf-8")
            linking.write_text(text + f"\n\nSee also [[{hub}]].\n", encoding="utf-8")
        else:
            moved = median_note(vault)
            moved.rename(moved.with_name(f"{moved.stem} (renamed).md"))
        if verify and edit == until:  # the layout cache is an input: the clean build's too
            shutil.copytree(work / "cache", work / "cache-before")
        step(edit)
    result: dict[str, object] = {
        k: {m: round(v, 1) for m, v in values.items()} for k, values in steps.items()
    }
    result["did"] = did
    result["stages"] = stages
    if verify:
        clean = work / "clean-site"
        clean_build = [*BUILD, str(vault), "-d", str(clean), "--clean"]
        measure([*clean_build, "--cache", str(work / "cache-before")], work, env)
        result["identical"] = same_tree(site, clean)
    return result


_DID = re.compile(r"(incremental build|full build):")


def same_tree(one: Path, other: Path) -> bool:
    """Whether two folders hold the same files with the same bytes."""

    def files(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    names = files(one)
    if names != files(other):
        return False
    _, mismatch, errors = filecmp.cmpfiles(one, other, names, shallow=False)
    return not mismatch and not errors


if __name__ == "__main__":
    main()

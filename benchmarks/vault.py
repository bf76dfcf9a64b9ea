"""Generate a synthetic vault: N notes, deterministic by seed.

Each note has frontmatter (title, tags, videoId for most), 300–800 words of filler prose
from a made-up vocabulary, 5–15 wikilinks whose targets follow a power law (a few notes
are linked from everywhere), some with aliases, some to headings, some to targets that
exist nowhere (they become topic pages), and timestamped sentences.

    python benchmarks/vault.py 1000 /tmp/vault-1k --seed 1
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "te",
    "vo",
    "da",
    "fi",
    "gu",
    "ha",
    "ji",
    "ke",
    "la",
    "mo",
    "nu",
    "pe",
    "ri",
    "so",
    "tu",
    "ve",
    "wa",
    "xo",
    "yu",
    "zi",
]
HEADINGS = ["Overview", "Background", "Details", "Examples", "Open questions", "Summary"]
TAGS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _title(rng: random.Random) -> str:
    return " ".join(_word(rng) for _ in range(rng.randint(2, 5))).capitalize()


def _stamp(rng: random.Random) -> str:
    seconds = rng.randint(0, 5400)
    text = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f' <a class="yt-timestamp" data-t="{text}">[{text}]</a>'


def generate(count: int, folder: Path, seed: int = 1) -> list[Path]:
    """Write `count` notes into `folder` (emptied first); return their paths."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    titles: list[str] = []
    seen: set[str] = set()
    while len(titles) < count:
        title = _title(rng)
        if title.lower() not in seen:
            seen.add(title.lower())
            titles.append(title)
    stems = [title.lower().replace(" ", "_") for title in titles]
    title_of = dict(zip(stems, titles, strict=True))
    videos = ["".join(rng.choice(ID_CHARS) for _ in range(11)) for _ in range(max(1, count // 8))]
    paths = []
    for index, (title, stem) in enumerate(zip(titles, stems, strict=True)):
        folder_name = f"channel_{index % 10}"
        path = folder / folder_name / f"{stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = [f"title: {title}", f"tags: [{', '.join(rng.sample(TAGS, rng.randint(1, 3)))}]"]
        has_video = rng.random() < 0.8
        if has_video:
            front.append(f"videoId: {rng.choice(videos)}")
        links = []
        for _ in range(rng.randint(5, 15)):
            kind = rng.random()
            target = stems[min(int(rng.paretovariate(1.2)) - 1, count - 1)]
            if kind < 0.15:
                links.append(f"[[Concept {_word(rng)}]]")  # exists nowhere: a topic
            elif kind < 0.35:
                links.append(f"[[{target} | {_word(rng)} {_word(rng)}]]")
            elif kind < 0.45:
                links.append(f"[[{target}#{rng.choice(HEADINGS)}]]")
            elif kind < 0.6:
                links.append(f"[[{title_of[target]}]]")  # Title-Case to snake_case
            else:
                links.append(f"[[{target}]]")
        body = [f"From: [[{folder_name}]] <br/>", ""]
        words = rng.randint(300, 800)
        written = 0
        for heading in HEADINGS:
            body.append(f"## {heading}\n")
            while written < words * (HEADINGS.index(heading) + 1) // len(HEADINGS):
                sentence = " ".join(_word(rng) for _ in range(rng.randint(8, 18)))
                written += len(sentence.split())
                if links and rng.random() < 0.35:
                    sentence += " " + links.pop()
                if has_video and rng.random() < 0.5:
                    sentence += _stamp(rng)
                body.append(sentence.capitalize() + ".")
            body.append("")
        body += [f"See also {link}." for link in links]
        path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + "\n".join(body) + "\n")
        paths.append(path)
    for index in range(10):
        hub = folder / f"channel_{index}" / f"channel_{index}.md"
        hub.write_text(f"---\ntitle: Channel {index}\ntags: [channel]\n---\n\nA channel hub.\n")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.folder, args.seed)


if __name__ == "__main__":
    main()

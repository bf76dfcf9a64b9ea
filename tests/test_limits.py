"""Notes a stranger can send that once crashed or hung a build: each one now builds, fast.

`ADVERSARIAL` is issue #13's table, row by row, each note just large enough to cross the
limit that row meets (the issue measured most of them larger: `benchmarks/adversarial.py`
builds them at those sizes): each note is built into a real site beside an ordinary note.
The build finishes, the note has its page (what is over a limit published as text), the
ordinary note is whole, and what was over a limit is reported with the note's file and
line, by the build and by ``notegraph check`` alike. How long each row takes, and that it
grows linearly with the note, is measured by ``benchmarks/adversarial.py`` (never here: no
test asserts a time).

The `limits` functions have their own tables below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BuildVault
from notegraph.core.base.names import MAX_SLUG_BYTES
from notegraph.core.base.report import Report
from notegraph.core.checks.check import check_vault
from notegraph.core.vault.limits import (
    MAX_BLOCK_COST,
    MAX_LINKS,
    MAX_NESTING,
    MAX_NOTE_BYTES,
    loose_angles,
    markdown_cost,
    nesting_cuts,
    plain_blocks,
)
from notegraph.core.vault.notes import parse_note

ID = "7gaPPrAd7nc"
VIDEO = f"---\ntitle: Adversarial\nvideoId: {ID}\n---\n"


def yaml_bomb(levels: int = 9) -> str:
    """Frontmatter whose aliases stand for 9**levels values (400 bytes)."""
    lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for n in range(1, levels):
        name, previous = chr(ord("a") + n), chr(ord("a") + n - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + f"\nvideoId: *{chr(ord('a') + levels - 1)}\n---\nBody.\n"


def links_paragraph(count: int = 3000) -> str:
    """One paragraph of `count` cited sentences, each on its own line (196 KB at 3,000)."""
    return "\n".join(
        f"Sentence {i} of the long paragraph cites [[Topic {i % 40} | topic {i % 40}]] here."
        for i in range(count)
    )


HUGE_LINES = "A sentence of the huge note with [[a link]] in it.\n\n"


@dataclass(frozen=True)
class Row:
    name: str
    note: Callable[[], str]
    found: tuple[str, int, str] | None
    """(code, line, words of the message) the build and the check report, if anything."""
    shows: str = ""
    """Text the note's page shows (escaped as HTML)."""


ADVERSARIAL = [
    Row("dashes", lambda: "- " * 500 + "x\n", ("limit", 1, "nested deeper than 32"), "- x"),
    Row(
        "nested list",
        lambda: "".join("\t" * i + f"- level {i}\n" for i in range(1000)),
        ("limit", MAX_NESTING + 1, "nested deeper than 32"),
        "level 999",
    ),
    Row(
        "long names",
        lambda: f"---\ntags: [{'t' * 300}]\n---\nSee [[{'w' * 300}]] and [[{'w' * 299}x]].\n",
        None,  # nothing wrong with long names: see test_long_names_become_file_names...
        "w" * 300,
    ),
    Row("brackets", lambda: "[" * 40_000 + "\n", ("limit", 1, "published as plain text"), "[["),
    Row(
        "double brackets",
        lambda: "[[" * 20_000 + "\n",
        ("limit", 1, "published as plain text"),
        "[[",
    ),
    Row(
        "open anchors",
        lambda: VIDEO + '<a class="yt-timestamp" ' * 15_000 + "\n",
        ("limit", 5, "published as plain text"),
        "&lt;a class=",
    ),
    Row("links paragraph", links_paragraph, None, "Sentence 2999 of the long paragraph"),
    Row(
        "wikilinks on one line",
        lambda: "[[a]]" * (2 * MAX_LINKS) + "\n",  # 200,000 in the issue
        ("limit", 1, f"over the limit of {MAX_LINKS:,} per note"),
        "[[a]][[a]]",
    ),
    # the line of the alias that goes over the budget: (9 + 1) * 9 * 9 * ... > 10,000
    Row("yaml bomb", yaml_bomb, ("limit", 6, "would add more than 10,000 values"), "Body."),
    Row(
        "30 MB note",
        lambda: HUGE_LINES * (MAX_NOTE_BYTES // len(HUGE_LINES) + 20_000),  # 3 MB of 30
        ("limit", 2 * (MAX_NOTE_BYTES // len(HUGE_LINES)), "over the limit of 2 MB"),
        "A sentence of the huge note",
    ),
]


@pytest.mark.parametrize("row", ADVERSARIAL, ids=[row.name for row in ADVERSARIAL])
def test_an_adversarial_note_builds_and_is_reported_with_its_line(
    build_vault: BuildVault, row: Row
) -> None:
    notes = {"x.md": row.note(), "plain.md": "# Plain\n\nAn ordinary note linking [[x]].\n"}
    built = build_vault("adversarial", notes)
    page = built.page("notes/x.md").read_text(encoding="utf-8")
    assert row.shows.replace("<", "&lt;") in page
    plain = built.page("notes/plain.md").read_text(encoding="utf-8")
    assert "An ordinary note linking" in plain and 'href="../x/"' in plain
    assert not [m for m in built.messages if "[internal]" in m]
    vault = built.root / "vault"
    checked = [d for d in check_vault(vault) if d.path == "x.md" and d.level != "info"]
    if row.found is None:
        assert checked == []
        return
    code, line, words = row.found
    assert any(
        f"vault/x.md:{line}" in message and words in message and f"[{code}]" in message
        for message in built.messages
    ), [m for m in built.messages if "x.md" in m]
    found = [d for d in check_vault(vault) if d.code == code and d.path == "x.md"]
    assert [d.line for d in found if words in d.message] == [line]


def test_long_names_become_file_names_the_file_system_takes(build_vault: BuildVault) -> None:
    long = "w" * 300
    notes = {"x.md": f"---\ntags: [{'t' * 300}]\n---\n[[{long}]] [[{long[:-1]}x]]\n"}
    built = build_vault("long-names", notes)
    topics = sorted(p.name for p in (built.site_dir / "topics").iterdir() if p.is_dir())
    assert len(topics) == 2 and all(len(name.encode()) <= MAX_SLUG_BYTES for name in topics)
    (tag,) = [p for p in (built.site_dir / "tags").iterdir() if p.is_dir()]
    assert (tag / "index.html").is_file() and len(tag.name.encode()) <= MAX_SLUG_BYTES


def test_a_note_over_the_size_limit_is_read_up_to_a_whole_line(tmp_path: Path) -> None:
    line = "é" * 99 + "\n"  # 199 bytes a line: the limit falls inside a character
    (tmp_path / "big.md").write_text(line * (MAX_NOTE_BYTES // len(line.encode()) + 10))
    from notegraph.core.vault.notes import load_vault

    report = Report()
    vault = load_vault(tmp_path, report)
    body = vault.notes["big.md"].body
    assert len(body.encode()) <= MAX_NOTE_BYTES and body.endswith("é\n")
    (warning,) = report.diagnostics
    assert (warning.code, warning.line) == ("limit", body.count("\n"))


# --- the limits, one by one ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "flattened"),
    [
        ("- x\n" + "  " * 10 + "- y\n", []),
        ("- " * (MAX_NESTING + 2) + "x", ["- " * MAX_NESTING + "\\-"]),
        ("> " * (MAX_NESTING + 1) + "quote", ["> " * MAX_NESTING + "\\>"]),
        ("\t" * (MAX_NESTING + 5) + "- deep", ["\t" * (MAX_NESTING - 1)]),
        (" " * 4 * (MAX_NESTING + 5) + "text", [" " * 4 * (MAX_NESTING - 1)]),
        ("1. " * (MAX_NESTING + 1) + "n", ["1. " * MAX_NESTING + "1\\."]),
        (" " * 400 + "\n", []),  # blank (code is blanked like this)
        ("-" * 200, []),  # a rule, no list
        ("*" * 100 + " text", []),
    ],
)
def test_nesting_is_cut_at_the_limit(body: str, flattened: list[str]) -> None:
    assert [cut.text for cut in nesting_cuts(body)] == flattened


@pytest.mark.parametrize(
    ("text", "loose"),
    [
        ("<b>bold</b> <br/> <!-- c --> 1 < 2, a<b", [37]),
        ('<a class="yt-timestamp" ' * 3, [0, 24, 48]),
        ("</a </b> <? x", [0, 9]),
        ("\\<a not a tag", []),
        ("<a\nhref='x'>multi-line tag</a>", []),
    ],
)
def test_tags_that_never_close_are_found(text: str, loose: list[int]) -> None:
    assert loose_angles(text) == loose


COSTS = [
    ("prose", "A [link](x.md), *emphasis* and `code`. " * 1000, False),
    ("links", "word [[Topic | shown]] more. " * 3000, False),
    ("nested 1,000", "[" * 1000 + "x" + "]" * 1000, False),
    ("brackets", "[" * 20_000, True),
    ("addresses", "[a](" * 5_000, True),
    ("images", "![a" * 5_000, True),
    ("nested 6,000", "[" * 6000 + "x" + "]" * 6000, True),  # each walks to its own end
    ("tags", "<span>x</span> " * 50_000, True),
]


@pytest.mark.parametrize(("block", "over"), [c[1:] for c in COSTS], ids=[c[0] for c in COSTS])
def test_the_cost_of_a_paragraph_tells_what_python_markdown_cannot_render_fast(
    block: str, over: bool
) -> None:
    assert (markdown_cost(block)[0] > MAX_BLOCK_COST) == over


def test_the_cost_budget_of_a_note_stops_at_its_limit() -> None:
    # Each paragraph alone is under the limit; together they are not: the last go plain.
    paragraph = "[" * 700
    cost = markdown_cost(paragraph)[0]
    assert cost < MAX_BLOCK_COST
    note = "\n\n".join([paragraph] * 100)
    plain = plain_blocks(note)
    assert 0 < len(plain) < 100
    assert [span for span, _, _ in plain] == sorted(span for span, _, _ in plain)
    assert plain[-1][0][1] == len(note)


def test_links_past_the_limit_stay_text() -> None:
    report = Report()
    note = parse_note("x.md", "[[a]]" * (MAX_LINKS + 5), report)
    assert len(note.links) == MAX_LINKS
    assert note.unlinked_from == 5 * MAX_LINKS
    assert [d.code for d in report.diagnostics] == ["limit"]

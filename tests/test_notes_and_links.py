"""Tables for `notegraph.core.vault.notes.parse_note` (frontmatter, titles, headings, positions) and
for `notegraph.core.linker.links.link_vault` on a small vault written to `tmp_path`."""

from __future__ import annotations

import datetime
import html
import os
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from conftest import write_files
from notegraph.core.base.names import NoteId
from notegraph.core.base.report import Report
from notegraph.core.linker.links import Links, link_vault
from notegraph.core.vault import anchors
from notegraph.core.vault.excerpt import excerpt_html
from notegraph.core.vault.notes import Vault, load_vault, parse_note

ID = NoteId("dir/file name.md")


def parse(text: str) -> tuple:
    report = Report()
    return parse_note(ID, text, report), report


# ---------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("---\ntitle: From frontmatter\n---\n# From heading\n", "From frontmatter"),
        ("---\ntitle: '  Padded  '\n---\n", "Padded"),
        ("---\ntags: [x]\n---\nIntro\n\n# From heading\n\n# Second\n", "From heading"),
        ("## Level two only\n", "file name"),
        ("# *Emphasis* and [[Link|shown]] in it\n", "Emphasis and shown in it"),
        ("```\n# not a heading\n```\n", "file name"),
        ("No heading at all.\n", "file name"),
        ("", "file name"),
        ("---\ntitle: 2024\n---\n", "2024"),
        ("---\ntitle: 2024-01-05\n---\n", "2024-01-05"),
        ("---\ntitle: 42\n---\n# Heading\n", "42"),
    ],
)
def test_title(text: str, title: str) -> None:
    note, report = parse(text)
    assert note.title == title
    assert report.diagnostics == []


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: true\n---\n# Heading\n", "---\ntitle: [a, b]\n---\n# Heading\n"],
)
def test_title_that_is_not_text_warns_and_falls_back(text: str) -> None:
    note, report = parse(text)
    assert note.title == "Heading"
    (warning,) = report.diagnostics
    assert (warning.path, warning.line, warning.code) == (ID, 2, "frontmatter")
    assert "title" in warning.message


# ---------------------------------------------------------------- aliases, tags, meta


@pytest.mark.parametrize(
    ("frontmatter", "aliases", "tags"),
    [
        ("aliases: [One, Two]", ("One", "Two"), ()),
        ("aliases:\n  - One\n  - Two\n  - One", ("One", "Two"), ()),
        ("aliases: One, Two", ("One, Two",), ()),  # an alias string is one name
        ("alias: Solo", ("Solo",), ()),
        ("tags: [pm, '#career']", (), ("pm", "career")),
        ("tags:\n  - pm\n  - x/y\n  - pm", (), ("pm", "x/y")),
        ("tags: 'pm, #career  product'", (), ("pm", "career", "product")),
        ("tags: pm career", (), ("pm", "career")),
        ("tags: pm,career,,", (), ("pm", "career")),
        ("tag: solo", (), ("solo",)),
        ("tags: ['#', pm]", (), ("pm",)),
        ("aliases: [A]\ntags: t", ("A",), ("t",)),
        ("title: x", (), ()),
    ],
)
def test_aliases_and_tags(frontmatter: str, aliases: tuple, tags: tuple) -> None:
    note, report = parse(f"---\n{frontmatter}\n---\nbody\n")
    assert (note.aliases, note.tags) == (aliases, tags)
    assert report.diagnostics == []


def test_other_keys_kept_in_meta() -> None:
    note, _ = parse(
        "---\ntitle: T\nauthor: Ian\ndate: 2024-01-05\nrating: 4\nlinks: [a, b]\n---\nbody\n"
    )
    assert note.meta["author"] == "Ian"
    assert note.meta["date"] == datetime.date(2024, 1, 5)
    assert note.meta["rating"] == 4
    assert note.meta["links"] == ["a", "b"]


TAGS_SHOULD = "'tags' should be a list of words, or text; "
ALIASES_SHOULD = "'aliases' should be a list of names, or text; "


@pytest.mark.parametrize(
    ("frontmatter", "aliases", "tags", "message"),
    [
        ("tags: 5", (), ("5",), TAGS_SHOULD + "5 (a number) is read as the tag '5'"),
        ("aliases: 7", ("7",), (), ALIASES_SHOULD + "7 (a number) is read as the alias '7'"),
        ("tags: true", (), (), TAGS_SHOULD + "true (a yes/no value) is ignored"),
        (
            "tags: [1, pm, 2.5]",
            (),
            ("1", "pm", "2.5"),
            TAGS_SHOULD + "1 (a number) is read as the tag '1', "
            "2.5 (a number) is read as the tag '2.5'",
        ),
        (
            "aliases: [Ok, no, 2024-01-05]",
            ("Ok", "2024-01-05"),
            (),
            ALIASES_SHOULD + "false (a yes/no value) is ignored, "
            "2024-01-05 (a date) is read as the alias '2024-01-05'",
        ),
        ("tags: {a: 1}", (), (), TAGS_SHOULD + "a mapping is ignored"),
        ("tags: [[a, b], c]", (), ("c",), TAGS_SHOULD + "a list is ignored"),
        (
            "tag: 3",
            (),
            ("3",),
            "'tag' should be a list of words, or text; 3 (a number) is read as the tag '3'",
        ),
    ],
)
def test_aliases_and_tags_that_are_not_text_warn_and_say_what_was_done(
    frontmatter: str, aliases: tuple, tags: tuple, message: str
) -> None:
    note, report = parse(f"---\ntitle: T\n{frontmatter}\n---\nbody\n")
    assert (note.aliases, note.tags) == (aliases, tags)
    assert [(d.path, d.line, d.level, d.code, d.message) for d in report.diagnostics] == [
        (ID, 3, "warning", "frontmatter", message)
    ]


# ---------------------------------------------------------------- frontmatter shapes


def test_no_frontmatter() -> None:
    text = "Just text with [[A]].\n---\nnot: frontmatter\n"
    note, report = parse(text)
    assert (note.body, note.body_line, note.meta) == (text, 1, {})
    assert report.diagnostics == []


def test_empty_frontmatter() -> None:
    note, report = parse("---\n---\nbody [[A]]\n")
    assert note.meta == {} and note.title == "file name"
    assert note.body.strip() == "body [[A]]"
    assert note.position(note.links[0].start) == (3, 6)
    assert report.diagnostics == []


# (text, file line of the YAML error)
INVALID_YAML = [
    ("---\ntitle: ok\nb: : :\n---\n# Kept\n\nbody [[A]]\n", 3),
    ("---\nb: : :\ntitle: ok\n---\n# Kept\n\nbody [[A]]\n", 2),
    ("---\ntitle: x\nfoo: bar\n  baz: 1\n---\n# Kept\n\nbody [[A]]\n", 4),
    ("---\n\n\ntitle: ok\nb: : :\n---\n# Kept\n\nbody [[A]]\n", 5),
    ("---\r\ntitle: ok\r\nb: : :\r\n---\r\n# Kept\r\n\r\nbody [[A]]\r\n", 3),
]


@pytest.mark.parametrize(
    ("text", "line"),
    INVALID_YAML,
    ids=["third line", "second line", "bad indent", "blank lines after ---", "crlf"],
)
def test_invalid_yaml_is_reported_at_its_file_line(text: str, line: int) -> None:
    note, report = parse(text)
    assert note.title == "Kept"
    assert note.meta == {}
    assert "body [[A]]" in note.body and "title" not in note.body
    assert [link.target for link in note.links] == ["A"]
    (warning,) = report.diagnostics
    assert (warning.path, warning.level, warning.code) == (ID, "warning", "frontmatter")
    assert "YAML" in warning.message
    assert warning.line == line


def test_frontmatter_that_never_closes() -> None:
    text = "---\ntitle: x\nSee [[A]].\n"
    note, report = parse(text)
    assert note.body == text and note.body_line == 1
    assert note.title == "file name" and note.meta == {}
    assert note.position(note.links[0].start) == (3, 5)
    (warning,) = report.diagnostics
    assert (warning.path, warning.line, warning.code) == (ID, 1, "frontmatter")
    assert "never closes" in warning.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [("---\n- a\n- b\n---\n# H\n", "list"), ("---\njust a string\n---\n# H\n", "str")],
)
def test_frontmatter_that_is_not_a_mapping(text: str, kind: str) -> None:
    note, report = parse(text)
    assert (note.title, note.meta, note.body.strip()) == ("H", {}, "# H")
    (warning,) = report.diagnostics
    assert (warning.path, warning.line, warning.code) == (ID, 2, "frontmatter")
    assert kind in warning.message


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: T\ntags: [a]\n---\n# H\n\nSee [[A]].\n",
        "---\r\ntitle: T\r\ntags: [a]\r\n---\r\n# H\r\n\r\nSee [[A]].\r\n",
        "\ufeff---\ntitle: T\ntags: [a]\n---\n# H\n\nSee [[A]].\n",
        "\ufeff---\r\ntitle: T\r\ntags: [a]\r\n---\r\n# H\r\n\r\nSee [[A]].\r\n",
        "---\rtitle: T\rtags: [a]\r---\r# H\r\rSee [[A]].\r",
    ],
    ids=["lf", "crlf", "bom", "bom+crlf", "cr"],
)
def test_line_endings_and_bom(text: str) -> None:
    note, report = parse(text)
    assert (note.title, note.tags) == ("T", ("a",))
    assert "\r" not in note.body and "\ufeff" not in note.body
    assert [(h.text, h.line) for h in note.headings] == [("H", 5)]
    assert [note.position(link.start) for link in note.links] == [(7, 5)]
    assert report.diagnostics == []


# ---------------------------------------------------------------- headings


def toc_ids(text: str) -> list[str]:
    """The heading ids Python-Markdown's toc extension gives when rendering `text` with the
    site's slugify (`anchors.slugify`: ids readable in any script).

    MkDocs sites always have fenced code, so ``fenced_code`` keeps ``# comment`` lines in
    code blocks from becoming headings; it does not change the ids of real headings.
    """
    toc = {"toc": {"slugify": anchors.slugify}}
    html = markdown.Markdown(extensions=["toc", "fenced_code"], extension_configs=toc).convert(text)
    return re.findall(r"<h[1-6][^>]*\bid=\"([^\"]*)\"", html)


HEADINGS = [
    "# Plain heading\n",
    "# Tips & Tricks: for PMs!\n",
    "# Tips &amp; tricks\n",
    "# A *b* **c** _d_\n",
    "# Café au lait\n",
    "# x_y_z and snake_case\n",
    "# 5 * 3 = 15\n",
    "# See [the docs](x.md)\n",
    "## Closing hashes ##\n",
    "# Dup\n\n## Dup\n\n### Dup\n",
    "# A *b* c\n\ntext\n\n# A b c\n",
    "# Intro\n\n```bash\n# a shell comment\n```\n\n# Intro\n",
    "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six\n",
    "# Ünïcödé and 日本語\n",
    "# Use `code` here\n",
    "# The `__init__` method\n",
    "Setext heading\n==============\n\nSecond\n------\n",
]


@pytest.mark.parametrize("text", HEADINGS)
def test_heading_anchors_match_python_markdown_toc(text: str) -> None:
    note, _ = parse(text)
    assert [h.anchor for h in note.headings] == toc_ids(text)


def test_heading_levels_text_and_lines() -> None:
    note, _ = parse("---\ntitle: T\n---\n# One\n\ntext\n\n## Two [[Link|shown]] ##\n")
    assert [(h.level, h.text, h.anchor, h.line) for h in note.headings] == [
        (1, "One", "one", 4),
        (2, "Two shown", "two-shown", 8),
    ]


# ---------------------------------------------------------------- positions


@pytest.mark.parametrize(
    ("text", "positions"),
    [
        ("[[A]]", [("A", 1, 1)]),
        ("x [[A]] y [[B]]\n  [[C]]", [("A", 1, 3), ("B", 1, 11), ("C", 2, 3)]),
        ("---\ntitle: T\n---\nSee [[A]].\n", [("A", 4, 5)]),
        ("---\ntitle: T\n---\n\n\n- [[A]] and [b](b.md)\n", [("A", 6, 3), ("dir/b.md", 6, 13)]),
        ("```\n[[no]]\n```\n|[[T\\|a]]|\n", [("T", 4, 2)]),
        ("\ufeff[[A]]\r\n[[B]]", [("A", 1, 1), ("B", 2, 1)]),
    ],
)
def test_link_positions_in_the_file(text: str, positions: list[tuple]) -> None:
    note, _ = parse(text)
    assert [(li.target, *note.position(li.start)) for li in note.links] == positions


# ---------------------------------------------------------------- link_vault

VAULT = {
    "people/Ian McAllister.md": (
        "---\naliases: [Ian M]\n---\n"
        "# Ian McAllister\n"
        "\n"
        "## Career\n"
        "\n"
        "He worked at [[Amazon]] for years.\n"
    ),
    "pm/Tips.md": (
        "---\ntags: pm\n---\n"  # lines 1-3
        "# Tips\n"  # 4
        "\n"
        "Intro line. Ask [[Ian McAllister|Ian]] about **working backwards** at [[amazon]]. "
        "Then more.\n"  # 6
        "\n"
        "- Read [[Ian McAllister#Career]] first.\n"  # 8
        "- See [[Ian McAllister#Missing heading]].\n"  # 9
        "- Self: [[Tips]] and [[#Tips]] and [[#Nowhere]].\n"  # 10
        "\n"
        "| Who | Where |\n"  # 12
        "|-----|-------|\n"
        "| [[Ian M\\|Ian]] | [[AMAZON]] |\n"  # 14
        "\n"
        "A paragraph that\n"  # 16
        "continues with [[Dup]] here. And [[dup]] again!\n"  # 17
        "\n"
        "![[chart.png|300]]\n"  # 19
        "`[[Amazon]]` in code.\n"
    ),
    "a/Dup.md": "# Dup\n",
    "b/Dup.md": "# Dup\n",
    "img/chart.png": "",
}
IAN = NoteId("people/Ian McAllister.md")
TIPS = NoteId("pm/Tips.md")


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Vault, Links, Report]:
    write_files(tmp_path, VAULT)
    report = Report()
    vault = load_vault(tmp_path, report)
    return vault, link_vault(vault, report), report


def marked(context: str) -> str:
    """A context as HTML (`excerpt_html`), the quoted link between « and », the other
    links between [ and ]."""
    rendered = excerpt_html(context, lambda at: str(at))
    rendered = rendered.replace('<mark class="ng-mention">', "«").replace("</mark>", "»")
    return html.unescape(re.sub(r'<a href="\d+">(.*?)</a>', r"[\1]", rendered))


def test_vault_is_loaded(linked: tuple[Vault, Links, Report]) -> None:
    vault, _, _ = linked
    assert sorted(vault.notes) == ["a/Dup.md", "b/Dup.md", IAN, TIPS]
    assert vault.attachments == ["img/chart.png"]


def test_backlinks_carry_the_sentence(linked: tuple[Vault, Links, Report]) -> None:
    _, links, _ = linked
    assert [(m.source, m.line, marked(m.context)) for m in links.backlinks[IAN]] == [
        (TIPS, 6, "Ask «Ian» about <strong>working backwards</strong> at [amazon]."),
        (TIPS, 8, "Read «Ian McAllister > Career» first."),
        (TIPS, 9, "See «Ian McAllister > Missing heading»."),
        (TIPS, 14, "«Ian» [AMAZON]"),
    ]
    assert [(m.source, m.line, marked(m.context)) for m in links.backlinks[NoteId("a/Dup.md")]] == [
        (TIPS, 17, "A paragraph that continues with «Dup» here."),
        (TIPS, 17, "And «dup» again!"),
    ]


def test_topic_mentions_and_spellings(linked: tuple[Vault, Links, Report]) -> None:
    _, links, _ = linked
    assert set(links.mentions) == {"amazon"}
    assert [(m.source, m.line, marked(m.context)) for m in links.mentions["amazon"]] == [
        (IAN, 8, "He worked at «Amazon» for years."),
        (TIPS, 6, "Ask [Ian] about <strong>working backwards</strong> at «amazon»."),
        (TIPS, 14, "[Ian] «AMAZON»"),
    ]
    assert dict(links.spellings["amazon"]) == {"Amazon": 1, "amazon": 1, "AMAZON": 1}


def test_edges(linked: tuple[Vault, Links, Report]) -> None:
    _, links, _ = linked
    assert dict(links.edges) == {
        (IAN, "topic:amazon"): 1,
        (TIPS, IAN): 4,
        (TIPS, "topic:amazon"): 2,
        (TIPS, "a/Dup.md"): 2,
    }
    # notes, headings, the self links and the embedded image; not the topics
    assert links.resolved == 4 + 2 + 3 + 1


def test_self_links_make_no_edge(linked: tuple[Vault, Links, Report]) -> None:
    vault, links, _ = linked
    tips = vault.notes[TIPS]
    self_links = [li for li in tips.links if li.target in ("Tips", "")]
    assert len(self_links) == 3
    assert all(links.target(tips, li).self_link for li in self_links)
    assert [links.target(tips, li).anchor for li in self_links] == [None, "tips", None]
    assert TIPS not in links.backlinks
    assert not any(target == TIPS for _, target in links.edges)


def test_heading_targets(linked: tuple[Vault, Links, Report]) -> None:
    vault, links, _ = linked
    tips = vault.notes[TIPS]
    career, missing = (li for li in tips.links if li.heading in ("Career", "Missing heading"))
    assert (links.target(tips, career).resolution.note, links.target(tips, career).anchor) == (
        IAN,
        "career",
    )
    assert (links.target(tips, missing).resolution.note, links.target(tips, missing).anchor) == (
        IAN,
        None,
    )


def test_warnings(linked: tuple[Vault, Links, Report]) -> None:
    _, _, report = linked
    got = [(d.path, d.line, d.col, d.code) for d in report.diagnostics]
    assert got == [
        (TIPS, 9, 7, "heading"),
        (TIPS, 10, 36, "heading"),
        (TIPS, 17, 16, "ambiguous"),
    ]
    heading, nowhere, ambiguous = report.diagnostics
    assert "Missing heading" in heading.message and IAN in heading.message
    assert "Nowhere" in nowhere.message
    assert "a/Dup.md, b/Dup.md" in ambiguous.message


def test_ambiguous_target_warns_once_across_notes(tmp_path: Path) -> None:
    for path, content in {
        "a/Dup.md": "x",
        "b/Dup.md": "x",
        "one.md": "[[Dup]] [[Dup]]\n[[DUP]]\n",
        "two.md": "[[dup]]\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    report = Report()
    links = link_vault(load_vault(tmp_path, report), report)
    assert [(d.path, d.line, d.col, d.code) for d in report.diagnostics] == [
        ("one.md", 1, 1, "ambiguous")
    ]
    assert links.edges[(NoteId("two.md"), "a/Dup.md")] == 1
    assert links.edges[(NoteId("one.md"), "a/Dup.md")] == 3


def test_markdown_link_to_a_missing_file_warns(tmp_path: Path) -> None:
    (tmp_path / "pm").mkdir()
    (tmp_path / "pm/a.md").write_text("# A\n\n[ok](../b.md) and\n[gone](gone.md)\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n", "utf-8")
    report = Report()
    links = link_vault(load_vault(tmp_path, report), report)
    assert dict(links.edges) == {(NoteId("pm/a.md"), "b.md"): 1}
    assert [(d.path, d.line, d.col, d.code) for d in report.diagnostics] == [
        ("pm/a.md", 4, 1, "missing-file")
    ]
    assert "pm/gone.md" in report.diagnostics[0].message
    assert links.mentions == {}


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("[[people/ian_m]]", "Ian McAllister"),  # a path
        ("[[ian_m]]", "Ian McAllister"),  # a snake_case file name
        ("[[ian_m.md]]", "Ian McAllister"),
        ("[[ian_m#Career]]", "Ian McAllister > Career"),
        ("[[ian_m|him]]", "him"),  # an alias is always what shows
        ("[[Ian McAllister]]", "Ian McAllister"),  # by title: as written
        ("[[IAN MCALLISTER]]", "IAN MCALLISTER"),
        ("[[Ian M]]", "Ian M"),  # by alias: as written
        ("[[road_map]]", "road_map"),  # a topic: as written
        ("[[ian-m]]", "Ian McAllister"),  # a kebab-case file name
    ],
)
def test_links_written_as_file_names_show_the_title(
    tmp_path: Path, written: str, shown: str
) -> None:
    """Readers see "Ian McAllister", not "people/ian_m", in pages and in backlink sentences."""
    (tmp_path / "people").mkdir()
    (tmp_path / "people/ian_m.md").write_text(
        "---\ntitle: Ian McAllister\naliases: [Ian M]\n---\n## Career\n", encoding="utf-8"
    )
    (tmp_path / "road.md").write_text(f"Ask {written} and [[people/ian_m]] too.\n")
    report = Report()
    vault = load_vault(tmp_path, report)
    links = link_vault(vault, report)
    road = vault.notes[NoteId("road.md")]
    assert links.target(road, road.links[0]).shown == shown
    contexts = [marked(m.context) for m in links.backlinks[NoteId("people/ian_m.md")]]
    contexts += [marked(m.context) for ms in links.mentions.values() for m in ms]
    assert f"Ask «{shown}» and [Ian McAllister] too." in contexts


# ---------------------------------------------------------------- folders that cannot be read


def test_a_folder_that_cannot_be_read_is_reported_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The error is simulated (os.walk lists folders with os.scandir): root reads anything."""
    (tmp_path / "locked" / "deeper").mkdir(parents=True)
    (tmp_path / "locked" / "deeper" / "lost.md").write_text("# Lost\n")
    (tmp_path / "ok.md").write_text("# Ok\n")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = Report()
    vault = load_vault(tmp_path, report)
    assert sorted(vault.notes) == ["ok.md"]
    assert [str(d) for d in report.diagnostics] == [
        "locked: warning: folder cannot be read (Permission denied); nothing in it is"
        " published [io]"
    ]


def test_a_folder_with_mode_000_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "lost.md").write_text("# Lost\n")
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK | os.X_OK):
            pytest.skip("this user reads folders of mode 000 (root): see the simulated test")
        report = Report()
        assert load_vault(tmp_path, report).notes == {}
        assert [(d.path, d.level, d.code) for d in report.diagnostics] == [
            ("locked", "warning", "io")
        ]
    finally:
        locked.chmod(0o755)

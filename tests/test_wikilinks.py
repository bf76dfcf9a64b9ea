"""Tables for `notegraph.core.vault.wikilinks`: every wikilink form, masking of code and comments,
Markdown links to vault files, and the spans of Obsidian ``%% %%`` comments."""

from __future__ import annotations

import pytest
from notegraph.core.vault.scan import mask
from notegraph.core.vault.wikilinks import find_markdown_links, find_wikilinks

# (markdown, [(target, heading, alias, shown, embed, width), ...])
FORMS = [
    ("[[T]]", [("T", None, None, "T", False, None)]),
    ("[[T|a]]", [("T", None, "a", "a", False, None)]),
    ("[[T | a]]", [("T", None, "a", "a", False, None)]),
    (
        "[[Working backwards | the PR/FAQ]]",
        [
            ("Working backwards", None, "the PR/FAQ", "the PR/FAQ", False, None),
        ],
    ),
    ("[[T#Heading]]", [("T", "Heading", None, "T > Heading", False, None)]),
    ("[[T#Heading|a]]", [("T", "Heading", "a", "a", False, None)]),
    ("[[T # Heading | a]]", [("T", "Heading", "a", "a", False, None)]),
    ("[[#Heading]]", [("", "Heading", None, "Heading", False, None)]),
    ("[[T#^block-id]]", [("T", "^block-id", None, "T > block-id", False, None)]),
    ("[[folder/T]]", [("folder/T", None, None, "folder/T", False, None)]),
    ("[[folder/sub/T#H|a]]", [("folder/sub/T", "H", "a", "a", False, None)]),
    ("[[T|]]", [("T", None, None, "T", False, None)]),
    ("[[T | a | b]]", [("T", None, "b", "b", False, None)]),
    ("| x | [[T\\|a]] |", [("T", None, "a", "a", False, None)]),
    (
        "| [[T#H\\|a]] | [[U]] |",
        [
            ("T", "H", "a", "a", False, None),
            ("U", None, None, "U", False, None),
        ],
    ),
    ("![[Note]]", [("Note", None, None, "Note", True, None)]),
    ("![[Note#Part]]", [("Note", "Part", None, "Note > Part", True, None)]),
    ("![[image.png|300]]", [("image.png", None, None, "image.png", True, "300")]),
    ("![[image.png|300x200]]", [("image.png", None, None, "image.png", True, "300x200")]),
    ("![[image.png|a caption]]", [("image.png", None, "a caption", "a caption", True, None)]),
    # A number after a pipe is only a width for embeds; in a plain link it is the shown text.
    ("[[Chapter|300]]", [("Chapter", None, "300", "300", False, None)]),
    (
        "See [[A]], then [[B|b]] and ![[c.png]].",
        [
            ("A", None, None, "A", False, None),
            ("B", None, "b", "b", False, None),
            ("c.png", None, None, "c.png", True, None),
        ],
    ),
    # Not links: empty, blank, nothing but a pipe, or split over lines.
    ("[[]] [[ ]] [[|]] [[|a]]", []),
    ("[[T\n]]", []),
]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_forms(text: str, expected: list[tuple]) -> None:
    links = find_wikilinks(text)
    got = [(li.target, li.heading, li.alias, li.shown, li.embed, li.width) for li in links]
    assert got == expected
    for link in links:
        assert text[link.start : link.end] == link.raw
        assert link.raw.startswith("![[" if link.embed else "[[")
        assert not link.markdown


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("[[T]]", 0),
        ("abc [[T]] def", 4),
        ("line one\nab ![[T]]", 12),
        ("`[[x]]` [[T]]", 8),
    ],
)
def test_offsets_point_at_the_link(text: str, start: int) -> None:
    (link,) = find_wikilinks(text)
    assert link.start == start
    assert link.end == text.index("]]", start) + 2


# (markdown, targets found): code and comments hide links; the link after them is found.
MASKED = [
    ("fenced backticks", "```\n[[A]]\n```\n[[After]]\n", ["After"]),
    ("fenced backticks, info string", "```bash\nif [[ -f x ]]; then\n```\n[[After]]\n", ["After"]),
    ("fenced tildes", "~~~python\nx = [[1, 2]]\n~~~\n[[After]]\n", ["After"]),
    ("longer fence holds a shorter one", "````\n```\n[[A]]\n```\n````\n[[After]]\n", ["After"]),
    ("tilde fence not closed by backticks", "~~~\n[[A]]\n```\n[[B]]\n~~~\n[[After]]\n", ["After"]),
    ("closer has no info string", "```\n[[A]]\n```py\n[[B]]\n```\n[[After]]", ["After"]),
    ("fence in a list item", "- step\n\n  ```bash\n  [[ -f x ]]\n  ```\n- [[After]]\n", ["After"]),
    ("fence in a list, no blank", "1. step\n   ```\n   [[A]]\n   ```\n   [[After]]\n", ["After"]),
    ("fence in a blockquote", "> ```\n> [[A]]\n> ```\n\n[[After]]\n", ["After"]),
    ("fence in a callout", "> [!note]\n> ```\n> [[A]]\n> ```\n\nSee [[After]].\n", ["After"]),
    ("indented code after a blank line", "Para\n\n    [[A]]\n    [[B]]\n\n[[After]]\n", ["After"]),
    ("indented code with a tab", "Para\n\n\t[[A]]\n\n[[After]]\n", ["After"]),
    ("indented code at the start", "    [[A]]\n\n[[After]]\n", ["After"]),
    ("indented code after a list ended", "- item\n\npara\n\n    [[A]]\n\n[[After]]", ["After"]),
    ("inline code", "`[[A]]` [[After]]", ["After"]),
    ("inline code, double backticks", "``[[A]] ` x`` [[After]]", ["After"]),
    ("inline code over two lines", "`a\n[[A]]` [[After]]", ["After"]),
    ("inline code then link on one line", "x `[[A]]` y [[After]] `[[B]]`", ["After"]),
    ("html comment", "<!-- [[A]] --> [[After]]", ["After"]),
    ("html comment, multi-line", "<!--\n[[A]]\n\n[[B]]\n-->\n[[After]]", ["After"]),
    ("obsidian comment", "%% [[A]] %% [[After]]", ["After"]),
    ("obsidian comment, multi-line", "%%\n[[A]]\n\n[[B]]\n%%\n[[After]]", ["After"]),
    ("%% inside inline code is no comment", "`%%` [[After]] `%%`", ["After"]),
    ("%% inside a fence is no comment", "```\n%%\n```\n[[After]]\n", ["After"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in MASKED], ids=[c[0] for c in MASKED])
def test_code_and_comments_hide_links(text: str, expected: list[str]) -> None:
    assert [link.target for link in find_wikilinks(text)] == expected


# Text that looks like code or a comment but is prose: its links count.
NOT_MASKED = [
    ("list item continued by an indented line", "- item\n\n    [[A]] continues\n", ["A"]),
    ("numbered item continued without a blank", "1. item\n    [[A]] lazy\n", ["A"]),
    ("nested list continuation", "- a\n  - b\n\n        [[A]] more\n", ["A"]),
    ("indented line right after a paragraph", "Para\n    [[A]]\n", ["A"]),
    ("a lone backtick opens no code", "`[[A]] and [[B]]", ["A", "B"]),
    ("backticks around nothing", "`` [[A]]", ["A"]),
    ("three backticks mid-line are no fence", "use ``` in text [[A]]", ["A"]),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NOT_MASKED], ids=[c[0] for c in NOT_MASKED]
)
def test_prose_that_looks_like_code_keeps_links(text: str, expected: list[str]) -> None:
    assert [link.target for link in find_wikilinks(text)] == expected


@pytest.mark.parametrize("text", [c[1] for c in MASKED + NOT_MASKED])
def test_mask_keeps_length_and_line_breaks(text: str) -> None:
    masked = mask(text)
    assert masked.text == text
    assert len(masked.masked) == len(text)
    assert [i for i, ch in enumerate(masked.masked) if ch == "\n"] == [
        i for i, ch in enumerate(text) if ch == "\n"
    ]


@pytest.mark.parametrize(
    ("text", "comments"),
    [
        ("no comment here", []),
        ("a %% hidden %% b", ["%% hidden %%"]),
        ("%%one%% and %%two%%", ["%%one%%", "%%two%%"]),
        ("x\n%%\nline\n\nline\n%%\ny", ["%%\nline\n\nline\n%%"]),
        # An unclosed comment runs to the end of the note, as in Obsidian.
        ("a %% c %% b %%\nrest", ["%% c %%", "%%\nrest"]),
        # Only Obsidian comments are listed: HTML comments stay in the page.
        ("<!-- html --> %% obs %%", ["%% obs %%"]),
        ("`%% code %%` and\n```\n%% fence %%\n```\n", []),
    ],
)
def test_comment_spans(text: str, comments: list[str]) -> None:
    assert [text[a:b] for a, b in mask(text).comments] == comments


# (markdown, linking note's folder, [(target, heading, shown text, embed), ...])
MARKDOWN_LINKS = [
    ("[see](Other.md)", "", [("Other.md", None, "see", False)]),
    ("[see](Other.md)", "a/b", [("a/b/Other.md", None, "see", False)]),
    (
        "[s](../c/Other%20note.md#Part%20two)",
        "a/b",
        [("a/c/Other note.md", "Part two", "s", False)],
    ),
    ("[up](../../top.md)", "a/b", [("top.md", None, "up", False)]),
    ("[here](./x.md)", "a", [("a/x.md", None, "here", False)]),
    ("![chart](img/c.png)", "a", [("a/img/c.png", None, "chart", True)]),
    ('[t](t.md "A title")', "", [("t.md", None, "t", False)]),
    ("[n](<note.md>)", "", [("note.md", None, "n", False)]),
    # Angle brackets let a path hold spaces; Python-Markdown renders this as a link.
    ("[n](<My note.md>)", "a", [("a/My note.md", None, "n", False)]),
    ("[x](https://example.org/a.md) [m](mailto:a@b.c) [f](file:///x.md)", "", []),
    ("[top](#heading) [abs](/root.md)", "a", []),
    ("`[c](code.md)` and\n```\n[d](fence.md)\n```\n%% [e](e.md) %%", "", []),
    (
        "[a](a.md) then [[Wiki]] then [b](b.md)",
        "",
        [
            ("a.md", None, "a", False),
            ("b.md", None, "b", False),
        ],
    ),
]


@pytest.mark.parametrize(("text", "folder", "expected"), MARKDOWN_LINKS)
def test_markdown_links(text: str, folder: str, expected: list[tuple]) -> None:
    links = find_markdown_links(text, folder)
    assert [(li.target, li.heading, li.alias, li.embed) for li in links] == expected
    for link in links:
        assert link.markdown
        assert text[link.start : link.end] == link.raw


def test_markdown_links_are_not_wikilinks() -> None:
    text = "[a](a.md) [[W]]"
    assert [link.target for link in find_wikilinks(text)] == ["W"]
    assert [link.target for link in find_markdown_links(text, "")] == ["a.md"]

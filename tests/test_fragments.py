"""Raw HTML kept out of the Markdown of generated pages (`fragments`) comes back
exactly where it was written, and never changes what a note says."""

from __future__ import annotations

from typing import Any

import markdown
import pytest
from htmltree import article, parse
from notegraph.core.pages.fragments import OPEN, Fragments, fill, with_fragments

VIDEO = "7gaPPrAd7nc"


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        (["<b>x</b>"], "<b>x</b>"),
        ([f"<i>{n}</i>" for n in range(40)], "<i>39</i>"),  # tokens past one digit
    ],
)
def test_every_token_comes_back_as_its_fragment(pieces: list[str], expected: str) -> None:
    out = Fragments()
    tokens = [out.inline(piece) for piece in pieces]
    html = markdown.markdown("Text " + " ".join(tokens) + " end.")
    filled = fill(html, out.pieces)
    assert filled == "<p>Text " + " ".join(pieces) + " end.</p>"
    assert filled.endswith(expected + " end.</p>")


def test_block_tokens_take_their_paragraph_with_them() -> None:
    out = Fragments()
    text = "# Title\n" + out.block("<ul><li>a</li></ul>") + "After."
    assert fill(markdown.markdown(text), out.pieces) == (
        "<h1>Title</h1>\n<ul><li>a</li></ul>\n<p>After.</p>"
    )


def test_a_page_whose_text_holds_token_characters_keeps_its_html_inline() -> None:
    forged = OPEN + "\ue010\ue001"  # what the first token would look like
    text, pieces = with_fragments(lambda out: f"Note says {forged}. " + out.inline("<b>x</b>"))
    assert pieces == []
    assert text == f"Note says {forged}. <b>x</b>"


def anchor(t: str) -> str:
    return f'<a class="yt-timestamp" data-t="{t}">[{t}]</a>'


VAULT = {
    "talk.md": f"""\
---
videoId: {VIDEO}
---
# Talk

## Opening {anchor("00:00:05")}

Kites rise {anchor("00:01:02")}. See [[Tail]] for more [00:02:00].

| when | what |
|---|---|
| {anchor("00:03:00")} | a table cell |
""",
    "forged.md": f"A note that quotes private-use text: {OPEN}\ue010\ue001 and [[Tail]].\n",
    "tail.md": "# Tail\n\nTails add drag.\n",
}


@pytest.fixture(scope="module")
def site(build_vault: Any) -> Any:
    return build_vault("fragments", VAULT)


def test_stamps_are_links_in_paragraphs_tables_and_headings(site: Any) -> None:
    root = article(site.page("notes/talk.md"))
    assert [(a.text, a.attrs["data-t"]) for a in root.find_all("a", "ng-stamp")] == [
        ("00:00:05", "5"),  # in a heading: the digits written (the heading's id holds them)
        ("1:02", "62"),  # elsewhere, the moment as players show it
        ("2:00", "120"),
        ("3:00", "180"),
    ]
    assert OPEN not in root.text


def test_a_stamp_in_a_heading_keeps_the_heading_id_and_toc_clean(site: Any) -> None:
    page = parse(site.page("notes/talk.md"))
    heading = next(h for h in page.find_all("h2") if "Opening" in h.text)
    assert heading.attrs["id"] == "opening-000005"
    toc = [a.text.strip() for a in page.find_all("a", "md-nav__link") if "Opening" in a.text]
    assert toc and all(OPEN not in text for text in toc)


def test_backlinks_come_back_in_place(site: Any) -> None:
    section = article(site.page("notes/tail.md")).one("section", "ng-backlinks")
    blocks = [child.tag for child in section.children if not isinstance(child, str)]
    assert blocks == ["h2", "ul"], "the list stands right under its heading, in no <p>"
    sources = [
        li.find_all("a")[0].text
        for li in section.one("ul", "ng-mentions").children
        if not isinstance(li, str)
    ]
    assert sources == ["forged", "Talk"]
    assert [a.attrs["data-t"] for a in section.find_all("a", "ng-stamp")] == ["120"]


def test_a_note_holding_token_characters_shows_them_as_written(site: Any) -> None:
    root = article(site.page("notes/forged.md"))
    assert f"{OPEN}\ue010\ue001" in root.text
    backlinks = article(site.page("notes/tail.md")).one("section", "ng-backlinks")
    assert "quotes private-use text" in backlinks.text

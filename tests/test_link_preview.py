"""The opening text of a link preview (`preview.opening`), read off a page's HTML.

A long page is read only until its opening is found; what it finds must not depend on where
the reading stops: a paragraph cut across two pieces, an entity or a tag at the cut, a first
paragraph of prose far down the page.
"""

from __future__ import annotations

import pytest
from notegraph.core.pages import preview
from notegraph.core.pages.preview import opening


def test_the_opening_far_down_a_long_page_is_found() -> None:
    kind = '<p class="ng-kind">' + "Topic · 3 mentions " * 400 + "</p>"  # skipped, 7,600 chars
    links = "<p>" + '<a href="x">only a link</a> ' * 200 + "</p>"  # says no more than its links
    page = kind + links + "<p>The words of the note.</p>" + "<p>Later.</p>" * 2000
    assert len(kind + links) > 2 * preview._CHUNK
    assert opening(page) == "The words of the note."


@pytest.mark.parametrize("shift", range(-12, 13, 3))
def test_a_paragraph_cut_across_two_pieces_reads_whole(shift: int) -> None:
    head = "<p>" + "a " * ((preview._CHUNK + shift) // 2)
    page = head + "Tom &amp; <em>Jerry</em> &#8212; end</p><p>Next.</p>"
    assert opening(page, chars=100_000) == ("a " * ((preview._CHUNK + shift) // 2)).strip() + (
        " Tom & Jerry — end"
    )


@pytest.mark.parametrize("between", [" ", ", ", " | ", " · "])
def test_a_paragraph_of_links_alone_is_no_opening(between: str) -> None:
    links = between.join(f'<a href="{n}">Note {n}</a>' for n in range(5))
    assert opening(f"<p>{links}</p><p>Then the note's own words.</p>") == (
        "Then the note's own words."
    )


def test_a_page_without_prose_has_no_opening() -> None:
    assert opening('<p class="ng-kind">Video</p>' + "<div></div>" * 3000) == ""

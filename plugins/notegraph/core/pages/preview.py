"""Link previews: what a reader sees on resting the pointer on (or tabbing to) a link.

Each note, topic and video page gets a small JSON file of its own (`preview_path`): its
title, its kind, a line of counts and its opening text, read off the page's rendered HTML
so that the preview shows what the page shows. ``assets/notegraph/preview.js`` fetches it
when a link to the page is hovered or focused, and shows it in a popover.

>>> page = ('<h1 id="a">Alpha</h1><p class="ng-crumb">From: <a href="x">X</a></p>'
...         '<p><a href="v">Every moment</a></p>'
...         '<p>Alpha is <em>first</em> <a class="ng-stamp" data-t="5">0:05</a>.</p>')
>>> opening(page)
'Alpha is first.'
>>> print(preview_json("Alpha", "note", page, moments=1))
{"kind":"note","line":"Note · 1 moment","text":"Alpha is first.","title":"Alpha"}
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from notegraph.core.base.names import NoteId
from notegraph.core.base.report import plural
from notegraph.core.base.urls import page_data_path

if TYPE_CHECKING:
    from notegraph.core.pages.site import Site

__all__ = ["PREVIEW_DIR", "TEXT_CHARS", "note_moments", "opening", "preview_json", "preview_path"]

PREVIEW_DIR = "preview"
"""Where the previews go, one file per page, at the page's path (`preview_path`)."""
TEXT_CHARS = 320
"""The opening text is cut after this many characters, at a word."""
_SKIP = {"ng-kind", "ng-crumb", "ng-also", "ng-player", "ng-stamp", "headerlink", "ng-embed-title"}
"""Classes of elements that are no part of a page's opening text: its kind line, its
"From:" line, other spellings, the player, timestamps, permalinks."""
_BLOCKS = {"p", "li", "dd", "blockquote", "td"}
_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "area", "col", "embed"}
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\W+")
"""What is no word: a block of links with spaces, commas or bars between says no more than
its links."""
_CHUNK = 4096
"""A page's HTML is read this many characters at a time, until its opening is found: the
rest of a long page (its body, its backlinks) is not parsed for nothing."""


class _Opening(HTMLParser):
    """The text of the first block of prose: a paragraph or list item of its own (not one
    that holds other blocks), outside `_SKIP`, that says more than its links do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.block: list[str] | None = None  # text of the block being read
        self.link_text: list[str] = []
        self.depth = 0  # of the block being read, in `stack`
        self.found = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found or tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = bool(classes & _SKIP) or (bool(self.stack) and self.stack[-1][1])
        if tag in _BLOCKS and not skipped:
            self.block, self.link_text, self.depth = [], [], len(self.stack)  # the innermost
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        if self.found or tag in _VOID or not self.stack:
            return
        while self.stack and self.stack[-1][0] != tag and len(self.stack) > 1:
            self.stack.pop()  # an element left open
        self.stack.pop()
        if self.block is not None and len(self.stack) == self.depth:
            text = _SPACE.sub(" ", "".join(self.block)).strip()
            links = _SPACE.sub(" ", "".join(self.link_text)).strip()
            if _WORD.sub("", text) != _WORD.sub("", links):  # words besides its links
                self.found = re.sub(r" ([.,;:!?)])", r"\1", text)
            self.block = None

    def handle_data(self, data: str) -> None:
        if self.found or self.block is None or (self.stack and self.stack[-1][1]):
            return
        self.block.append(data)
        if any(tag == "a" for tag, _ in self.stack[self.depth :]):
            self.link_text.append(data)


def opening(html: str, chars: int = TEXT_CHARS) -> str:
    """The opening text of a page's HTML: its first paragraph (or list item) of prose, as
    plain text, cut at a word after `chars` characters."""
    parser = _Opening()
    for start in range(0, len(html), _CHUNK):  # the opening is found near the top
        parser.feed(html[start : start + _CHUNK])
        if parser.found:
            break
    text = parser.found
    if len(text) <= chars:
        return text
    cut = text[:chars].rsplit(" ", 1)[0].rstrip(",;:—-– ")
    return cut + "…"


def _kind_line(html: str) -> str:
    found = re.search(r'<p class="ng-kind"[^>]*>(.*?)</p>', html, re.S)
    if found is None:
        return ""
    return _SPACE.sub(" ", re.sub(r"<[^>]*>", "", found.group(1))).strip()


def preview_json(title: str, kind: str, html: str, moments: int = 0) -> str:
    """The preview of a page of `kind` (note, topic, video) from its rendered HTML: its
    title, its kind line (a topic's or video's own; for a note, its kind and its number of
    `moments`) and its opening text."""
    line = _kind_line(html)
    if not line:
        line = kind.capitalize() + (f" · {plural(moments, 'moment')}" if moments else "")
    data = {"kind": kind, "line": line, "text": opening(html), "title": title}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def note_moments(site: Site, note_id: NoteId) -> int:
    """How many moments of its video a note cites (its timestamps that play something)."""
    if note_id not in site.map.videos:
        return 0
    return len(site.vault.notes[note_id].stamps.moments())


def preview_path(url: str) -> str:
    """Site path of the preview of the page at site-relative `url`, the same for both
    styles of URL (the script finds it from a link's address).

    >>> preview_path("notes/a/"), preview_path("notes/a.html"), preview_path("topics/b/")
    ('preview/notes/a.json', 'preview/notes/a.json', 'preview/topics/b.json')
    """
    return page_data_path(PREVIEW_DIR, url)

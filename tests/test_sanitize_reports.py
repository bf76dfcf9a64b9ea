"""What a note is told about its raw HTML is what the sanitizer does to it.

`sanitize.unsafe_html` (code ``html``) and the ``raw-html`` rule ask the sanitizer itself
(`sanitize._clean`, the call `sanitize.sanitize` makes) instead of predicting it. These tests
hold them to the sanitizer's actual output: a grid of elements x attributes x values, each
sanitized and compared with what the report says; the cases a regex model of the sanitizer
got wrong; and the split between ``html`` (removed) and ``raw-html`` (kept, not needed).
"""

from __future__ import annotations

from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
from notegraph.core.base.names import NoteId
from notegraph.core.base.report import Report
from notegraph.core.checks.rules import ALLOWED_TAGS, apply_rules
from notegraph.core.linker.links import link_vault
from notegraph.core.vault.notes import Vault, parse_note
from notegraph.core.vault.sanitize import ATTRIBUTES, TAGS, outside, sanitize, unsafe_html

TABLE_PARTS = {"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}
"""Elements that are elements only inside a table (in a browser as in the sanitizer)."""

ELEMENTS = sorted(
    TAGS
    | ALLOWED_TAGS
    | {"script", "style", "iframe", "object", "embed", "form", "textarea", "select", "svg"}
    | {"math", "template", "noscript", "marquee", "font", "center", "a-b", "base", "link"}
)
ATTRIBUTE_NAMES = sorted(
    set().union(*ATTRIBUTES.values())
    | {"onclick", "onerror", "onload", "style", "target", "rel", "srcset", "ping", "action"}
    | {"formaction", "background", "data-x", "xmlns", "autofocus", "preload", "poster"}
)
VALUES = ["x", "javascript:alert(1)", "https://x.org/a", "data:text/html,x", "tel:1", "#a"]


class _StartTags(HTMLParser):
    """The start tags of a piece of HTML, by Python's own HTML parser (not ours)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def written(element: str, attribute: str, value: str) -> str:
    snippet = f'<{element} {attribute}="{value}">text</{element}>'
    return f"<table>{snippet}</table>" if element in TABLE_PARTS else snippet


def kept_attributes(html: str, element: str) -> dict[str, str | None] | None:
    return next((attrs for tag, attrs in _StartTags(html).tags if tag == element), None)


@cache
def removed_everywhere(attribute: str, value: str) -> bool:
    """Whether the sanitizer removes `attribute` (with `value`) from every element it keeps."""
    for element in TAGS:
        kept = kept_attributes(sanitize(written(element, attribute, value)), element)
        if kept is not None and attribute in kept:
            return False
    return True


def reported(note: str) -> set[str]:
    """What `unsafe_html` says is removed: an "element", an "attribute" (a URL is one)."""
    kinds = set()
    for _, what in unsafe_html(note):
        if "> element" in what:
            kinds.add("element")
        elif "loads only when the reader plays it" not in what:
            kinds.add("attribute")
    return kinds


def test_every_element_attribute_and_url_the_sanitizer_removes_is_reported_and_nothing_else():
    """The grid: for each element, attribute and value, the report names exactly what the
    published HTML lacks (an attribute of a removed element counts when no element may
    keep it)."""
    wrong = []
    for element in ELEMENTS:
        for attribute in ATTRIBUTE_NAMES:
            for value in VALUES:
                if element == "img" and attribute == "src" and outside(value):
                    continue  # an image from another host becomes a link to it (not removed)
                note = written(element, attribute, value)
                kept = kept_attributes(sanitize(note), element)
                if kept is None:
                    expected = {"element"}
                    if removed_everywhere(attribute, value):
                        expected.add("attribute")
                else:
                    expected = set() if attribute in kept else {"attribute"}
                if reported(note) != expected:
                    wrong.append((note, sorted(reported(note)), sorted(expected)))
    assert wrong == []


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # A regex model of the sanitizer said nothing about each of these:
        ("<img/onerror=alert(1) src=x>", ["'onerror' attribute"]),
        ('<img title="a>b" onerror="alert(1)">', ["'onerror' attribute"]),
        ('<a href="java&#9;script:alert(1)">x</a>', ["'javascript:' URL"]),
        ('<a href="&#106;avascript:alert(1)">x</a>', ["'javascript:' URL"]),
        ('<a href="tel:123">x</a>', ["'tel:' URL"]),
        ("[call](tel:123)", ["'tel:' URL"]),
        ('<a href="x" target="_blank">x</a>', ["'target' attribute"]),
        ('<p style="color:red">x</p>', ["'style' attribute"]),
        ("<template><b>x</b></template>", ["<template> element (removed with its content)"]),
        (
            "<svg><a>in the drawing</a></svg>",
            ["<svg> element", "<a> element (removed with its content)"],
        ),
        # ...and these it had right, kept so:
        ('<a href=" JavaScript:x">x</a>', ["'javascript:' URL"]),
        ("<script>alert(1)</script>", ["<script> element (removed with its content)"]),
        ('<svg onload="alert(1)"></svg>', ["'onload' attribute", "<svg> element"]),
        ('<iframe src="https://x.org/"></iframe>', ["<iframe> element"]),  # src: no 2nd report
        ('<video src="javascript:x"></video>', ["'javascript:' URL"]),
        ('<a class="yt-timestamp" data-t="01:02" href="https://x.org">', []),
        ('<td style="text-align:right">x</td> <a href="mailto:me@x.org">', []),
    ],
)
def test_what_a_regex_model_of_the_sanitizer_missed(note: str, expected: list[str]) -> None:
    found = [what.removesuffix(" is removed from the page") for _, what in unsafe_html(note)]
    assert sorted(found) == sorted(expected)
    assert all(offset == 0 or note[offset] in "<]" for offset, _ in unsafe_html(note))


def test_each_tag_is_removed_kept_but_not_needed_or_allowed_never_two_of_them():
    """``html`` (the sanitizer removes the element), ``raw-html`` (it keeps an element notes
    should not need) and nothing (an allowed element it keeps): exactly one, as the
    sanitizer's output says."""
    wrong = []
    for element in ELEMENTS:
        text = f"<{element}>x</{element}>"
        text = f"<table>{text}</table>" if element in TABLE_PARTS else text
        report = Report()
        note = parse_note(NoteId("a.md"), text + "\n", report)
        vault = Vault(root=Path("."), notes={note.id: note}, attachments=[])
        apply_rules(vault, link_vault(vault, report), report)
        at = text.index(f"<{element}>") + 1
        codes = sorted(
            d.code or ""
            for d in report.sorted()
            if d.col == at and (d.code == "raw-html" or "element" in d.message)
        )
        kept = kept_attributes(sanitize(text), element) is not None
        expected = [] if kept and element in ALLOWED_TAGS else ["raw-html" if kept else "html"]
        if codes != expected:
            wrong.append((element, codes, expected))
    assert wrong == []

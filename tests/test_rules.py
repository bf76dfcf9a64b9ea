"""`rules`: the vault-wide rules the build and the check share, one note at a time.

Each row is a note's text and every warning the rules give it (``line:col: message [code]``);
infos (links to topic pages) are left out. Rows without warnings guard against false alarms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from notegraph.core.base.names import NoteId
from notegraph.core.base.report import Report
from notegraph.core.checks.rules import apply_rules
from notegraph.core.linker.links import link_vault
from notegraph.core.vault.notes import Vault, parse_note

ZWJ_EMOJI = "\U0001f469\u200d\U0001f4bb"
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # a ZWNJ between letters

RULES: list[tuple[str, str, list[str]]] = [
    ("clean", "# A\n\nSee [[B]] and [[C|c]], `[[code` and\n\n    [[indented code\n", []),
    ("nested brackets", "[[[[deep]]]] and [[x]][[y]]\n", []),
    ("python list in code", "```\nx = [[1, 2]]\ny = [[\n```\n", []),
    ("empty", "a [[]] b\n", ["1:3: empty link '[[]]' names no note; it stays text [link]"]),
    ("blank", "a [[   ]]\n", ["1:3: empty link '[[   ]]' names no note; it stays text [link]"]),
    ("bar only", "![[|]]\n", ["1:1: empty link '![[|]]' names no note; it stays text [link]"]),
    ("alias only", "[[|x]]\n", ["1:1: empty link '[[|x]]' names no note; it stays text [link]"]),
    ("hash only", "[[#]]\n", ["1:1: empty link '[[#]]' names no note; it stays text [link]"]),
    (
        "unclosed after a link",
        "[[B]] then [[open\n[[C]]\n",
        ["1:12: '[[' is never closed on its line; it stays text [link]"],
    ),
    (
        "closed only by another link",
        "[[open [[B]]\n",
        ["1:1: '[[' is never closed on its line; it stays text [link]"],
    ),
    (
        "data URL",
        "[[ data:text/html,x ]]\n",
        [
            "1:1: link '[[ data:text/html,x ]]' is a 'data:' URL, not a note; it gets a topic"
            " page [link]"
        ],
    ),
    (
        "web address",
        "[[https://x.org|X]]\n",
        [
            "1:1: link '[[https://x.org|X]]' is a web address, not a note; it gets a topic page"
            " (a Markdown link [text](https://x.org) links to it) [link]"
        ],
    ),
    ("a colon is no URL", "[[Re: work]] [[Chapter 1: Start]]\n", []),
    ("timestamp anchor", '<A CLASS="yt-timestamp" data-t="00:01">[00:01]</A>\n', []),
    ("custom element", "<a-b>x</a-b> <b>bold</b> <br/>\n", []),
    (
        "kept tags",
        '<DIV>x</DIV> <a href="https://x.org">y</a>\n',
        [
            "1:1: raw HTML <div>; notes use Markdown, timestamp anchors, <br> and inline"
            " formatting only [raw-html]",
            "1:14: raw HTML <a> that is not a timestamp anchor; notes use Markdown, timestamp"
            " anchors, <br> and inline formatting only [raw-html]",
        ],
    ),
    ("joiners doing their job", f"# {ZWJ_EMOJI} {PERSIAN}\n\n[[{PERSIAN}]]\n", []),
    (
        "joiner between Latin letters",
        "# A\n\n[[Ama\u200dzon]]\n",
        ["3:6: link '[[Ama\\u200dzon]]' contains U+200D ZERO WIDTH JOINER [invisible]"],
    ),
    (
        "title from the heading",
        "# Bid\u200bi\n",
        ["1: title 'Bid\\u200bi' contains U+200B ZERO WIDTH SPACE [invisible]"],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), RULES, ids=[r[0] for r in RULES])
def test_rules_for_one_note(name: str, text: str, expected: list[str]) -> None:
    note = parse_note(NoteId("a.md"), text)
    vault = Vault(root=Path("."), notes={note.id: note}, attachments=[])
    report = Report()
    apply_rules(vault, link_vault(vault, report), report)
    found = [str(d).removeprefix("a.md:") for d in report.sorted() if d.level != "info"]
    assert [line.replace(": warning: ", ": ", 1) for line in found] == expected

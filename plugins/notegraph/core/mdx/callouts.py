"""Obsidian callouts as Material for MkDocs draws admonitions.

A callout is a quote whose first line names a type, with an optional fold sign and title::

    > [!tip] Title with *Markdown*      a tip, titled; no title: "Tip"
    > [!faq]- Closed until clicked      foldable, closed (`+`: foldable, open)
    > > [!note] A callout in a callout

It becomes Material's admonition (``<div class="admonition tip">`` with a
``<p class="admonition-title">``), or, when foldable, its collapsible block
(``<details class="tip">`` with a ``<summary>``): the theme gives both their colour and icon.
Obsidian's types and their aliases map to Material's types (`TYPES`); an unknown type is
drawn as a note, as in Obsidian. The rest of the quote is the callout's content, Markdown
like any other (lists, code, other callouts). The first blank line ends it, as it ends a
quote in Obsidian.

>>> import markdown
>>> callout = "> [!warning]- Careful\\n> Hot *stove*."
>>> print(markdown.markdown(callout, extensions=[CalloutExtension()]))
<details class="warning">
<summary>Careful</summary>
<p>Hot <em>stove</em>.</p>
</details>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown, util
from markdown.blockprocessors import BlockProcessor

__all__ = ["TYPES", "CalloutExtension", "CalloutProcessor", "makeExtension"]

TYPES = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "info",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
"""Obsidian's callout types and aliases -> Material's admonition type."""

_START = re.compile(r"\n?[ ]{0,3}>[ ]?\[!([\w-]+)\]([+-]?)[ \t]*(.*)")
_FIRST_QUOTE = re.compile(r"(?:^|\n)[ ]{0,3}>", re.MULTILINE)
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?")


class CalloutProcessor(BlockProcessor):
    """Turns a quote that opens with ``[!type]`` into an admonition (see the module)."""

    def _start(self, block: str) -> re.Match[str] | None:
        """The callout's first line: the block's first quote line, when it names a type."""
        if "[!" not in block:
            return None
        quote = _FIRST_QUOTE.search(block)
        return _START.match(block, quote.start()) if quote else None

    def test(self, parent: etree.Element, block: str) -> bool:
        return self._start(block) is not None and not util.nearing_recursion_limit()

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        found = self._start(block)
        if found is None:  # pragma: no cover (test() saw it)
            return False
        before = block[: found.start()]
        if before.strip():  # text before the quote: a paragraph of its own
            self.parser.parseBlocks(parent, [before])
        kind, fold, title = found.group(1).lower(), found.group(2), found.group(3).strip()
        shown = title or kind[:1].upper() + kind[1:]
        css = TYPES.get(kind, "note")
        if fold:
            box = etree.SubElement(parent, "details", {"class": css})
            if fold == "+":
                box.set("open", "open")
            etree.SubElement(box, "summary").text = shown
        else:
            box = etree.SubElement(parent, "div", {"class": f"admonition {css}"})
            etree.SubElement(box, "p", {"class": "admonition-title"}).text = shown
        rest = block[found.end() :].lstrip("\n")
        content = "\n".join(_QUOTE.sub("", line) for line in rest.split("\n"))
        if content.strip():
            self.parser.state.set("blockquote")
            self.parser.parseChunk(box, content)
            self.parser.state.reset()
        return True


class CalloutExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # Before the quote processor (20), which would take the block as a plain quote.
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "notegraph_callout", 21)


def makeExtension(**kwargs: Any) -> CalloutExtension:  # noqa: N802 (Python-Markdown's name)
    return CalloutExtension(**kwargs)

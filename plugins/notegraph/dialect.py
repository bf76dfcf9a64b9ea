"""A Python-Markdown extension for what Obsidian notes write and Python-Markdown reads otherwise.

Lists right after a paragraph line. Obsidian (like CommonMark) starts a list on the line after
text; Python-Markdown only after a blank line, so::

    The framework:
    *   **Humble**: ...
    *   **Helpful**: ...

        An indented example paragraph.

renders as one paragraph holding the literal ``*   **Humble**`` lines, and the indented
paragraph that belonged to the last item becomes a code block (where a timestamp's play link
shows as escaped HTML). `ListsAfterParagraphs` inserts the blank line before such a list:
a bullet (``*``, ``-``, ``+``) or ``1.`` (as CommonMark allows) indented less than four
spaces, after a line of paragraph text outside a list, code fence, table, heading, quote or
HTML. Nothing else changes, so hand-written Python-Markdown renders as before.

>>> import markdown
>>> markdown.markdown("Steps:\\n- one\\n- two", extensions=[DialectExtension()])
'<p>Steps:</p>\\n<ul>\\n<li>one</li>\\n<li>two</li>\\n</ul>'
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

__all__ = ["DialectExtension", "ListsAfterParagraphs", "lists_after_paragraphs", "makeExtension"]

_ITEM = re.compile(r" {0,3}(?:[*+-]|1[.)])[ \t]+\S")
_RULE = re.compile(r" {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_NOT_PROSE = re.compile(r" {0,3}(?:#|>|\||<|\$\$|!!!|\?\?\?|\[\^)|[ \t]{4}|\t")


def lists_after_paragraphs(lines: list[str]) -> list[str]:
    """`lines` with a blank line before each list that follows a paragraph line.

    >>> lists_after_paragraphs(["Text:", "- a", "- b", "", "More text", "1. c", "2. d"])
    ['Text:', '', '- a', '- b', '', 'More text', '', '1. c', '2. d']
    >>> lists_after_paragraphs(["- a", "  lazy text", "- b"])  # inside a list: unchanged
    ['- a', '  lazy text', '- b']
    >>> lists_after_paragraphs(["```", "text", "- not a list", "```", "| a |", "- b"])
    ['```', 'text', '- not a list', '```', '| a |', '- b']
    >>> lists_after_paragraphs(["Text", "2. not a list", "* * *", "-1 degrees"])
    ['Text', '2. not a list', '* * *', '-1 degrees']
    """
    out: list[str] = []
    fence = ""  # the fence of the code block we are in, if any
    prose = False  # the previous line is paragraph text outside a list
    in_list = False  # a list item since the last blank line
    for line in lines:
        if fence:
            fence = "" if line.strip().startswith(fence) and not line.strip("`~ \t") else fence
            out.append(line)
            continue
        opening = _FENCE.match(line)
        if opening:
            fence, prose = opening.group(1), False
            out.append(line)
            continue
        if not line.strip():
            prose = in_list = False
            out.append(line)
            continue
        item = bool(_ITEM.match(line)) and not _RULE.match(line)
        if item and prose:
            out.append("")
        in_list = in_list or item
        prose = not item and not in_list and not _NOT_PROSE.match(line)
        out.append(line)
    return out


class ListsAfterParagraphs(Preprocessor):
    """Runs `lists_after_paragraphs` on every page's lines."""

    def run(self, lines: list[str]) -> list[str]:
        return lists_after_paragraphs(lines)


class DialectExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After normalize_whitespace (30), before fenced code (25) stashes code blocks:
        # fences are tracked here too, so the order does not matter for them.
        md.preprocessors.register(ListsAfterParagraphs(md), "notegraph_lists", 27)


def makeExtension(**kwargs: Any) -> DialectExtension:  # noqa: N802 (Python-Markdown's name)
    return DialectExtension(**kwargs)

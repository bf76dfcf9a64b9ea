"""A Python-Markdown extension for what Obsidian notes write and Python-Markdown reads otherwise.

Three preprocessors on the page's lines, before SuperFences reads the fences:

- **Fences** (`normalize_fences`). The scanner (`scan.fences`) decides where each code
  fence opens and closes; this writes each one so that SuperFences reads it the same way:
  the opening line keeps the language and a ``title="..."`` (``ts title="a.ts"``,
  ``//dataviewjs`` and ``js {.x}`` all open a fence, as in Obsidian), the closing line is
  the opening fence (a longer one closes too), a fence never closed is closed where its
  container ends, and a fence right after or before a line of text (in a quote too) gets
  the blank line that keeps it out of the paragraph.
- **Lists after paragraphs** (`lists_after_paragraphs`). Obsidian (like CommonMark) starts
  a list on the line after text; Python-Markdown only after a blank line, so::

      The framework:
      *   **Humble**: ...

  renders as one paragraph holding the literal ``*   **Humble**`` line. A blank line goes
  before such a list: a bullet (``*``, ``-``, ``+``) or ``1.`` indented less than four
  spaces, after a line of paragraph text outside a list, code fence, table, heading, quote
  or HTML.

and one tree processor: **block ids** (`BlockIds`). A paragraph or list item that ends with
`` ^id`` gets that id (``^id``, hidden), as do a list, quote or table followed by a line
``^id`` of its own; ``[[Note#^id]]`` links to it and ``![[Note#^id]]`` embeds that block.

>>> import markdown
>>> markdown.markdown("Steps:\\n- one\\n- two", extensions=[DialectExtension()])
'<p>Steps:</p>\\n<ul>\\n<li>one</li>\\n<li>two</li>\\n</ul>'
>>> markdown.markdown("A claim. ^c1", extensions=[DialectExtension()])
'<p id="^c1">A claim.</p>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx import arithmatex

from notegraph.core.vault import scan

__all__ = [
    "DialectExtension",
    "normalize_fences",
    "lists_after_paragraphs",
    "makeExtension",
]

_ITEM = re.compile(r" {0,3}(?:[*+-]|1[.)])[ \t]+\S")
_RULE = re.compile(r" {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
_NOT_PROSE = re.compile(r" {0,3}(?:#|>|\||<|\$\$|!!!|\?\?\?|\[\^)|[ \t]{4}|\t")
_TITLE = re.compile(r"""\btitle=(?:"([^"\n]*)"|'([^'\n]*)')""")
_DOLLAR = arithmatex.RE_SMART_DOLLAR_INLINE.removesuffix(")") + r"(?!\d))"


def _opening_line(fence: scan.Fence) -> str:
    """The opening fence as SuperFences reads it: the language and a title, if any."""
    title = _TITLE.search(fence.info)
    line = fence.prefix + fence.marker + fence.language
    if title:
        shown = title.group(1) if title.group(1) is not None else title.group(2)
        line += ' title="' + shown.replace('"', "'") + '"'
    return line


def _gap(fence: scan.Fence) -> str:
    """A line that ends a paragraph in the fence's container: blank, or the quote markers."""
    depth = scan.quote_depth(fence.prefix)
    return " ".join(">" * depth)


def _is_text(line: str, fence: scan.Fence) -> bool:
    """Whether a neighbour of a fence is text of the same container (not blank)."""
    rest = line[len(scan.prefix(line)) :]
    return bool(rest.strip()) and scan.quote_depth(scan.prefix(line)) >= scan.quote_depth(
        fence.prefix
    )


def normalize_fences(lines: list[str]) -> list[str]:
    """`lines` with every fence written as SuperFences reads it (see the module).

    >>> normalize_fences(["Text", "``` //dataviewjs", "x", "````", "after"])
    ['Text', '', '```', 'x', '```', '', 'after']
    >>> normalize_fences(["> quote", "> ```py", "> x", "", "next"])
    ['> quote', '>', '> ```py', '> x', '> ```', '', 'next']
    >>> normalize_fences(["- a", "  ```", "  x", "- b"])  # in a list item: no gap
    ['- a', '  ```', '  x', '  ```', '- b']
    """
    found = scan.fences(lines)
    if not found:
        return lines
    out: list[str] = []
    position = 0
    for fence in found:
        out += lines[position : fence.start]
        flush = scan.indent(fence.prefix) == 0  # not inside a list item
        if flush and out and _is_text(out[-1], fence):
            out.append(_gap(fence))
        out.append(_opening_line(fence))
        out += lines[fence.start + 1 : fence.end - 1 if fence.closed else fence.end]
        out.append(fence.prefix + fence.marker)
        if flush and fence.end < len(lines) and _is_text(lines[fence.end], fence):
            out.append(_gap(fence))
        position = fence.end
    out += lines[position:]
    return out


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
    code = scan.code_lines(lines)
    out: list[str] = []
    prose = False  # the previous line is paragraph text outside a list
    in_list = False  # a list item since the last blank line
    for number, line in enumerate(lines):
        if number in code:
            prose = False
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


class _Lines(Preprocessor):
    """Runs `normalize_fences`, then `lists_after_paragraphs`, on every page's lines."""

    def run(self, lines: list[str]) -> list[str]:
        return lists_after_paragraphs(normalize_fences(lines))


def _block_id(element: etree.Element) -> str | None:
    """Takes a trailing `` ^id`` off the element's own text (a list item's is its first
    lines, before a nested list), and returns the id."""
    text = element.text or ""
    found = scan.BLOCK_ID.search(text) if "^" in text else None
    if found is None:
        return None
    element.text = text[: found.start()].rstrip()
    return found.group(1)


class BlockIds(Treeprocessor):
    """Gives ``^id`` to the block an Obsidian block id ends (before inline Markdown runs)."""

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            previous = None
            for child in list(parent):
                text = (child.text or "").strip() if child.tag == "p" and not len(child) else ""
                found = scan.BLOCK_ID.fullmatch(text) if text else None
                if found and previous is not None and previous.get("id") is None:
                    previous.set("id", "^" + found.group(1))  # a line of its own: the block before
                    parent.remove(child)
                    continue
                if child.tag in ("p", "li") and child.get("id") is None:
                    name = _block_id(child)
                    if name:
                        child.set("id", "^" + name)
                previous = child


def _obsidian_dollars(md: Markdown) -> None:
    """Inline math as Obsidian reads it: Arithmatex's ``$...$``, except that a closing
    ``$`` followed by a digit closes nothing (``$20-$30 million`` is money, not math).
    Arithmatex's own pattern keeps its output settings; only its dollar rule changes."""
    if "arithmatex-inline" not in md.inlinePatterns:
        return
    pattern = md.inlinePatterns["arithmatex-inline"]
    source = getattr(pattern, "pattern", "")
    if arithmatex.RE_SMART_DOLLAR_INLINE in source:
        pattern.pattern = source.replace(arithmatex.RE_SMART_DOLLAR_INLINE, _DOLLAR)
        pattern.compiled_re = re.compile(pattern.pattern, re.DOTALL | re.UNICODE)


class DialectExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        _obsidian_dollars(md)
        # After normalize_whitespace (30), before SuperFences (25) stashes the fences.
        md.preprocessors.register(_Lines(md), "notegraph_lines", 27)
        # Before inline Markdown (20): the id is still the end of the block's text.
        md.treeprocessors.register(BlockIds(md), "notegraph_block_ids", 25)


def makeExtension(**kwargs: Any) -> DialectExtension:  # noqa: N802 (Python-Markdown's name)
    return DialectExtension(**kwargs)

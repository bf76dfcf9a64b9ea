"""Make the HTML of note pages safe to serve: notes arrive from strangers.

`sanitize` runs on the rendered HTML of every page notegraph generates (after Markdown,
before the theme): an allowlist sanitizer (nh3) keeps the formatting Markdown and the
theme produce, the timestamp links and the player, and drops scripts, styles, frames,
event handlers and ``javascript:`` URLs. Images from other hosts become links, so a page
requests nothing from outside until the reader asks.

>>> sanitize('<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">a</a></p>')
'<p>Hi <a>a</a></p>'
>>> sanitize('<img src="https://tracker.example/p.png" alt="chart">')
'<a href="https://tracker.example/p.png" class="ng-external-image">chart ↗</a>'
"""

from __future__ import annotations

import html
import re

import nh3

__all__ = ["sanitize", "TAGS", "ATTRIBUTES"]

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "button", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "section", "small", "source", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    "var", "video",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "hidden"},
    "a": {"href", "data-t", "data-video"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style", "scope"},
    "ol": {"start", "type", "reversed"},
    "input": {"type", "checked", "disabled"},
    "video": {"src", "controls", "preload", "width", "height", "poster"},
    "source": {"src", "type"},
    "div": {"data-video", "data-youtube"},
    "button": {"type"},
    "details": {"open"},
    "time": {"datetime"},
}

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_OUTSIDE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def _outside_image_as_link(match: re.Match[str]) -> str:
    attrs = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(match.group(0))
    }
    src = html.unescape(attrs.get("src", ""))
    if not _OUTSIDE.match(src):
        return match.group(0)
    alt = html.unescape(attrs.get("alt", "")) or "image"
    return (
        f'<a href="{html.escape(src)}" class="ng-external-image">'
        f"{html.escape(alt, quote=False)} ↗</a>"
    )


def sanitize(content: str) -> str:
    """The page's HTML with everything outside the allowlist removed."""
    content = _IMG.sub(_outside_image_as_link, content)
    return nh3.clean(
        content,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        filter_style_properties={"text-align"},
    )


_RAW_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b([^<>]*)>")
_EVENT_ATTR = re.compile(r"""(?:^|\s)(on[a-z]+)\s*=""", re.IGNORECASE)
_SCRIPT_URL = re.compile(
    r"""(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):""",
    re.IGNORECASE,
)
_MARKDOWN_SCRIPT_URL = re.compile(
    r"""(?:\]\(|^[ ]{0,3}\[[^\]\n]+\]:)[ \t]*<?[ \t]*(javascript|vbscript|data):""",
    re.IGNORECASE | re.MULTILINE,
)
_DROPPED_WITH_CONTENT = {"script", "style"}


def unsafe_html(masked: str) -> list[tuple[int, str]]:
    """Raw HTML and link URLs the sanitizer will remove, as (offset, what) pairs, to report.

    `masked` is a note's body with code and comments blanked (`wikilinks.mask`).

    >>> for found in unsafe_html('<script>x</script> <img onerror="x()"> <a href="javascript:x">'):
    ...     print(found)
    (0, '<script> element (removed with its content)')
    (19, "'onerror' attribute")
    (39, "'javascript:' URL")
    >>> unsafe_html("[click](javascript:x) and\\n[ref]: data:text/html,x")
    [(6, "'javascript:' URL"), (26, "'data:' URL")]
    """
    found: list[tuple[int, str]] = []
    for match in _RAW_TAG.finditer(masked):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            continue
        if name in _DROPPED_WITH_CONTENT:
            found.append((match.start(), f"<{name}> element (removed with its content)"))
        elif name not in TAGS:
            found.append((match.start(), f"<{name}> element"))
        for event in _EVENT_ATTR.finditer(attrs):
            found.append((match.start(), f"'{event.group(1).lower()}' attribute"))
        for url in _SCRIPT_URL.finditer(attrs):
            found.append((match.start(), f"'{url.group(1).lower()}:' URL"))
    for url in _MARKDOWN_SCRIPT_URL.finditer(masked):
        found.append((url.start(), f"'{url.group(1).lower()}:' URL"))
    return sorted(found)

"""Make the HTML of note pages safe to serve: notes arrive from strangers.

`sanitize` runs on the rendered HTML of every page notegraph generates (after Markdown,
before the theme): an allowlist sanitizer (nh3) keeps the formatting Markdown and the
theme produce, the timestamp links and the player, and drops scripts, styles, frames,
event handlers and ``javascript:`` URLs. A page requests nothing from another host until
the reader asks: images from other hosts become links, ``<video>`` and ``<audio>`` load
only when played (``preload="none"``) and lose a ``poster`` image from another host. The
ids and classes a note sets go through `reserved.safe_id` and `reserved.safe_classes`: a
note cannot take a name of the page around it (``id="__config"``).

>>> sanitize('<p onclick="x()">Hi<script>alert(1)</script> <a href="javascript:x">a</a></p>')
'<p>Hi <a>a</a></p>'
>>> sanitize('<img src="https://tracker.example/p.png" alt="chart">')
'<a href="https://tracker.example/p.png" class="ng-external-image">chart ↗</a>'
>>> sanitize('<video src="https://x.org/v.mp4" poster="https://x.org/p.jpg" preload="auto">')
'<video src="https://x.org/v.mp4" preload="none"></video>'
>>> sanitize('<p id="__config" class="mermaid big">{"base": "//x.org/"}</p>')
'<p id="note-__config" class="big">{"base": "//x.org/"}</p>'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

from notegraph.core.vault.reserved import safe_classes, safe_id

__all__ = ["sanitize", "unsafe_html", "reserved_names", "outside", "TAGS", "ATTRIBUTES"]

TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "button", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li",
    "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "source", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "video",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "hidden"},
    "a": {"href", "data-t", "data-video"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style", "scope"},
    "ol": {"start", "type", "reversed"},
    "input": {"type", "checked", "disabled"},
    "video": {"src", "controls", "width", "height", "poster"},
    "audio": {"src", "controls"},
    "source": {"src", "type"},
    "div": {"data-video", "data-youtube"},
    "button": {"type"},
    "details": {"open"},
    "time": {"datetime"},
}
MEDIA = {"video": {"preload": "none"}, "audio": {"preload": "none"}}
"""Set on every ``<video>`` and ``<audio>``: nothing loads before the reader plays it."""

# Matched on nh3's output, where every attribute is `name="value"` and values hold no '"'
# or '>' (they are escaped): raw HTML could hide a '>' in a quoted value.
_CLEAN_IMG = re.compile(r"<img\b[^>]*>")
_CLEAN_VIDEO = re.compile(r"<video\b[^>]*>")
_CLEAN_ATTR = re.compile(r'\s([\w:-]+)="([^"]*)"')
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def outside(url: str) -> bool:
    r"""Whether a URL (as written in HTML) may reach another host: it has a scheme or starts
    with ``//``, once the characters browsers ignore are gone and ``\`` reads as ``/``.

    >>> [outside(u) for u in ("img/a.png", "../a.png", "//x.org/a", "\\\\x.org/a", "/\t/x.org")]
    [False, False, True, True, True]
    """
    squeezed = _URL_IGNORED.sub("", html.unescape(url)).replace("\\", "/")
    return bool(_OUTSIDE.match(squeezed))


def _attrs(tag: str) -> dict[str, str]:
    return {m.group(1).lower(): html.unescape(m.group(2)) for m in _CLEAN_ATTR.finditer(tag)}


def _outside_image_as_link(match: re.Match[str]) -> str:
    attrs = _attrs(match.group(0))
    src = attrs.get("src", "")
    if not outside(src):
        return match.group(0)
    alt = attrs.get("alt", "") or "image"
    return (
        f'<a href="{html.escape(src)}" class="ng-external-image">'
        f"{html.escape(alt, quote=False)} ↗</a>"
    )


def _no_outside_poster(match: re.Match[str]) -> str:
    tag = match.group(0)
    for attr in reversed(list(_CLEAN_ATTR.finditer(tag))):
        if attr.group(1).lower() == "poster" and outside(attr.group(2)):
            tag = tag[: attr.start()] + tag[attr.end() :]
    return tag


Renamed = list[tuple[str, str, str]]
"""(attribute, value written, value published or "") of each id and class `sanitize` changed."""


def _names_filter(renamed: Renamed | None) -> Callable[[str, str, str], str | None]:
    """nh3's attribute filter: reserved ids get their prefix, reserved classes go."""

    def names(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            published = safe_id(value)
        elif attribute == "class":
            published = safe_classes(value)
        else:
            return value
        if published != value and renamed is not None:
            renamed.append((attribute, value, published))
        return published or None

    return names


def _clean(content: str, renamed: Renamed | None = None) -> str:
    return nh3.clean(
        content,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        attribute_filter=_names_filter(renamed),
        set_tag_attribute_values=MEDIA,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        filter_style_properties={"text-align"},
    )


def sanitize(content: str) -> str:
    """The page's HTML with everything outside the allowlist removed."""
    clean = _clean(content)
    if "<img" in clean:
        clean = _CLEAN_IMG.sub(_outside_image_as_link, clean)
    if "<video" in clean:
        clean = _CLEAN_VIDEO.sub(_no_outside_poster, clean)
    return clean


_RAW_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)(?=[\s/>])([^<>]*)>")
"""An HTML tag; not an autolink (``<https://x.org>``, ``<me@x.org>``), which Markdown makes
a link."""
_NAMED = re.compile(r"""\s(?:id|class)\s*=""", re.IGNORECASE)
_ATTR_LIST = re.compile(AttrListTreeprocessor.BASE_RE)
_EVENT_ATTR = re.compile(r"""(?:^|\s)(on[a-z]+)\s*=""", re.IGNORECASE)
_SCRIPT_URL = re.compile(
    r"""(?:href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data):""",
    re.IGNORECASE,
)
_MARKDOWN_SCRIPT_URL = re.compile(
    r"""(?:\]\(|^[ ]{0,3}\[[^\]\n]+\]:)[ \t]*<?[ \t]*(javascript|vbscript|data):""",
    re.IGNORECASE | re.MULTILINE,
)
_SCRIPT_URL_VALUE = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)
_DROPPED_WITH_CONTENT = {"script", "style"}


def unsafe_html(masked: str) -> list[tuple[int, str]]:
    """Raw HTML the sanitizer removes or tames, as (offset, what happens) pairs, to report.

    `masked` is a note's body with code and comments blanked (`scan.mask`).

    >>> for found in unsafe_html('<script>x</script> <img onerror="x()"> <a href="javascript:x">'):
    ...     print(found)
    (0, '<script> element (removed with its content) is removed from the page')
    (19, "'onerror' attribute is removed from the page")
    (39, "'javascript:' URL is removed from the page")
    >>> for found in unsafe_html("[click](javascript:x) and\\n[ref]: data:text/html,x"):
    ...     print(found)
    (6, "'javascript:' URL is removed from the page")
    (26, "'data:' URL is removed from the page")
    >>> for found in unsafe_html('<video src="https://x.org/v.mp4" poster="//x.org/p.jpg">'):
    ...     print(found)
    (0, "'poster' image from another host is removed from the page")
    (0, '<video> from another host (https://x.org/v.mp4) loads only when the reader plays it')
    """
    found: list[tuple[int, str]] = []
    removed = " is removed from the page"
    for match in _RAW_TAG.finditer(masked):
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            continue
        if name in _DROPPED_WITH_CONTENT:
            found.append((match.start(), f"<{name}> element (removed with its content){removed}"))
        elif name not in TAGS:
            found.append((match.start(), f"<{name}> element{removed}"))
        for event in _EVENT_ATTR.finditer(attrs):
            found.append((match.start(), f"'{event.group(1).lower()}' attribute{removed}"))
        for url in _SCRIPT_URL.finditer(attrs):
            found.append((match.start(), f"'{url.group(1).lower()}:' URL{removed}"))
        if name in _MEDIA_TAGS:
            found += [(match.start(), what) for what in _media(name, attrs)]
    for url in _MARKDOWN_SCRIPT_URL.finditer(masked):
        found.append((url.start(), f"'{url.group(1).lower()}:' URL{removed}"))
    return sorted(found)


_MEDIA_TAGS = {"video", "audio", "source"}


def _media(name: str, attrs: str) -> list[str]:
    """What the sanitizer does to one media tag's sources from other hosts."""
    values = {
        m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
        for m in _ATTR.finditer(attrs)
    }
    found = []
    if name == "video" and outside(values.get("poster", "")):
        found.append("'poster' image from another host is removed from the page")
    src = values.get("src", "")
    if outside(src) and not _SCRIPT_URL_VALUE.match(src):
        shown = src if len(src) <= 60 else src[:57] + "..."
        what = "a <source>" if name == "source" else f"<{name}>"
        found.append(f"{what} from another host ({shown}) loads only when the reader plays it")
    return found


def _renamed(attribute: str, value: str, published: str) -> list[str]:
    """What the page does to one id or class attribute of a note, one message a name."""
    if attribute == "id":
        return [
            f"id '{value}' is taken by the page around the note (the theme or notegraph); "
            f"it is published as '{published}'"
        ]
    kept = set(published.split())
    return [
        f"class '{name}' makes the theme load a script from another host; it is removed "
        "from the page"
        for name in value.split()
        if name not in kept
    ]


def reserved_names(masked: str) -> list[tuple[int, str]]:
    """Ids and classes of a note's own (raw HTML, attribute lists) that the page published
    changes, as (offset, what happens) pairs, to report.

    Raw HTML tags go through the sanitizer itself, so the report says what it does; the
    attribute lists (``{: #id .class }``) are read with attr_list's own parser.

    >>> for found in reserved_names('<div id="__config">x</div>\\n\\nText\\n{: #__drawer .mermaid }'):
    ...     print(found)
    (0, "id '__config' is taken by the page around the note (the theme or notegraph); it is published as 'note-__config'")
    (33, "id '__drawer' is taken by the page around the note (the theme or notegraph); it is published as 'note-__drawer'")
    (33, "class 'mermaid' makes the theme load a script from another host; it is removed from the page")
    """  # noqa: E501
    found: list[tuple[int, str]] = []
    if "<" in masked:
        for match in _RAW_TAG.finditer(masked):
            if match.group(1) or not _NAMED.search(match.group(3)):
                continue
            renamed: Renamed = []
            _clean(match.group(0), renamed=renamed)
            for change in renamed:
                found += [(match.start(), what) for what in _renamed(*change)]
    if "{" in masked:
        for match in _ATTR_LIST.finditer(masked):
            pairs, _ = get_attrs_and_remainder(match.group(1))
            for key, value in pairs:
                attribute = "class" if key in (".", "class") else key
                if attribute not in ("id", "class") or not isinstance(value, str):
                    continue
                published = safe_id(value) if attribute == "id" else safe_classes(value)
                if published != value:
                    changes = _renamed(attribute, value, published)
                    found += [(match.start(), what) for what in changes]
    return found

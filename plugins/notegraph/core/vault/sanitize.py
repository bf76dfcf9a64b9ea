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

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

from notegraph.core.vault.reserved import safe_classes, safe_id

__all__ = [
    "sanitize",
    "unsafe_html",
    "reserved_names",
    "raw_tags",
    "RawTag",
    "kept_element",
    "outside",
    "TAGS",
    "ATTRIBUTES",
    "URL_SCHEMES",
]

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
DROPPED_WITH_CONTENT = frozenset({"script", "style"})
"""Elements removed with their content (the others removed leave their content)."""
URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""The schemes a URL the sanitizer keeps may have (a relative URL has none)."""
MEDIA = {"video": {"preload": "none"}, "audio": {"preload": "none"}}
"""Set on every ``<video>`` and ``<audio>``: nothing loads before the reader plays it."""

# Matched on nh3's output, where every attribute is `name="value"` and values hold no '"'
# or '>' (they are escaped): raw HTML could hide a '>' in a quoted value.
_CLEAN_IMG = re.compile(r"<img\b[^>]*>")
_CLEAN_VIDEO = re.compile(r"<video\b[^>]*>")
_CLEAN_ATTR = re.compile(r'\s([\w:-]+)="([^"]*)"')
_URL_IGNORED = re.compile(r"[\x00-\x20]")
_OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_ATTR_LIST = re.compile(AttrListTreeprocessor.BASE_RE)


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
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ATTRIBUTES,
        attribute_filter=_names_filter(renamed),
        set_tag_attribute_values=MEDIA,
        url_schemes=set(URL_SCHEMES),
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


# --- what the sanitizer removes from a note, to report ---------------------------------------
#
# The reports come from the sanitizer itself, not from a second model of it: each raw tag of a
# note is read as a browser reads it (`raw_tags`), and `_clean` -- the very call `sanitize`
# makes -- says what stays of it. What depends on names only (is <x> kept? is 'y' kept on
# <x>? does the value of 'y' matter?) is asked once and remembered; the values that matter
# (URLs) are asked once a note, all together.

_QUOTED = r"""(?:"(?:[^"\n]|\n(?!\s*\n))*+"|'(?:[^'\n]|\n(?!\s*\n))*+')"""
_TAG = re.compile(
    r"<([a-zA-Z][\w-]*+)(?=[\s/>])((?:[\s/]++|[^\s/><][^\s/>=<]*+"
    rf"""(?:\s*+=\s*+(?:{_QUOTED}|[^\s>"'<][^\s><]*+)?)?)*+)>"""
)
"""An opening tag as HTML reads it: a ``>`` inside quotes does not end it, ``/`` separates
attributes; a quoted value does not run over a blank line (Markdown ends the HTML there).
Not an autolink (``<https://x.org>``, ``<me@x.org>``), which Markdown makes a link."""
_TAG_ATTRIBUTE = re.compile(
    r"""([^\s/><][^\s/>=<]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'<][^\s><]*))?)?"""
)
"""One attribute in the attributes of a `_TAG`."""
_FOREIGN_END = re.compile(r"</(svg|math)\s*>", re.IGNORECASE)
_KEPT_OUTPUT = re.compile(r'\s([^\s="]+)="([^"]*)"')
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_MARKDOWN_URL = re.compile(
    r"""(?:\]\(|^[ ]{0,3}\[[^\]\n]+\]:)[ \t]*<?[ \t]*([a-z][a-z0-9+.-]*:[^\s<>)]*)""",
    re.IGNORECASE | re.MULTILINE,
)
"""The destination of a Markdown link or image, or of a link reference definition, that has
a scheme (a relative one has nothing for the sanitizer to remove)."""
_NAMED_ATTRIBUTES = frozenset().union(*ATTRIBUTES.values(), *(m.keys() for m in MEDIA.values()))
"""Every attribute the configuration names: the sanitizer keeps no other."""
_CONTEXTS = ("", "<table>")
"""Where an element is tried: anywhere, and in a table (a cell or row outside one is no
element, in a browser as in the sanitizer)."""
_PROBE = "ng-probe"


@dataclass(frozen=True)
class RawTag:
    """An opening tag written in a note: where (`start`, `end` offsets), its lower-case name
    and attributes (lower-case names, values with character references read; the first of
    two with one name counts, as in a browser)."""

    start: int
    end: int
    name: str
    attributes: dict[str, str]
    within: str = ""
    """``svg`` or ``math`` for a tag written inside one (foreign content in HTML: the
    sanitizer keeps none of it but what leaves it, ``<p>``, ``<b>``...)."""


def raw_tags(masked: str) -> list[RawTag]:
    """The opening tags of a note's body with code and comments blanked (`scan.mask`).

    >>> [(t.start, t.name, t.attributes) for t in raw_tags('<IMG/onerror=x title="a>b"> <a-b>')]
    [(0, 'img', {'onerror': 'x', 'title': 'a>b'}), (28, 'a-b', {})]
    >>> raw_tags("a <b and <https://x.org> 1 < 2")
    []
    """
    return list(_raw_tags(masked)) if "<" in masked else []


@functools.lru_cache(maxsize=4)
def _raw_tags(masked: str) -> tuple[RawTag, ...]:
    """`raw_tags`, remembered for the note at hand (its report and the rules read it)."""
    tags = []
    ends = [(e.start(), e.group(1).lower()) for e in _FOREIGN_END.finditer(masked)]
    foreign: list[str] = []  # the svg and math elements open
    for tag in _TAG.finditer(masked):
        while ends and ends[0][0] < tag.start():
            _, closed = ends.pop(0)
            if closed in foreign:
                del foreign[len(foreign) - 1 - foreign[::-1].index(closed) :]
        name, written = tag.groups()
        attributes: dict[str, str] = {}
        for key, double, single, bare in _TAG_ATTRIBUTE.findall(written) if written else ():
            value = double or single or bare
            attributes.setdefault(key.lower(), html.unescape(value) if "&" in value else value)
        name = name.lower()
        tags.append(RawTag(tag.start(), tag.end(), name, attributes, foreign[0] if foreign else ""))
        if name in ("svg", "math") and not tag.group(0).endswith("/>"):
            foreign.append(name)
    return tuple(tags)


def _opened(clean: str, element: str) -> dict[str, str] | None:
    """The attributes of the first `element` the sanitizer's output opens, or None."""
    opened = re.search(rf"<{re.escape(element)}((?:\s[^\s>]+)*)\s*/?>", clean)
    if opened is None:
        return None
    return {m.group(1): html.unescape(m.group(2)) for m in _KEPT_OUTPUT.finditer(opened.group(1))}


@functools.lru_cache(maxsize=1024)
def _context(element: str, within: str = "") -> str | None:
    """Where the sanitizer keeps an `element` (a lower-case name) written `within` an svg or
    math element (or not, ""): "" (anywhere), ``"<table>"`` (in a table: cells, rows...),
    ``"<svg>"``..., or None (nowhere: it is removed)."""
    if element not in TAGS:
        return None  # the sanitizer keeps no element its configuration does not name
    for context in (f"<{within}>",) if within else _CONTEXTS:
        if _opened(_clean(f"{context}<{element}>"), element) is not None:
            return context
    return None


def kept_element(element: str, within: str = "") -> bool:
    """Whether the sanitizer keeps an element of this (lower-case) name, written `within` an
    svg or math element (or not, "").

    >>> kept_element("td"), kept_element("script"), kept_element("a-b")
    (True, False, False)
    >>> kept_element("a", within="svg"), kept_element("p", within="svg")
    (False, True)
    """
    return _context(element, within) is not None


@functools.lru_cache(maxsize=1024)
def _removes_content(element: str, within: str = "") -> bool:
    """Whether the sanitizer removes a removed `element` with its content."""
    probe = f"<{element}>{_PROBE}</{element}>"
    clean = _clean(f"<{within}>{probe}</{within}>" if within else probe)
    return _PROBE not in re.sub(r"<[^>]*>", "", clean)


Fate = str
"""What the sanitizer does to an attribute of an element it keeps: ``"kept"``, ``"removed"``,
or ``"url"`` (kept or removed by its value)."""


@functools.lru_cache(maxsize=4096)
def _attribute(element: str, attribute: str, within: str = "") -> Fate:
    """What the sanitizer does to `attribute` on an `element` it keeps (one it keeps on no
    element, as its configuration names none such, is not tried)."""
    if attribute not in _NAMED_ATTRIBUTES:
        return "removed"
    context = _context(element, within) or ""

    def kept(value: str) -> bool:
        probe = f'{context}<{element} {attribute}="{value}">'
        return attribute in (_opened(_clean(probe), element) or {})

    if not kept("x"):
        return "removed"
    return "kept" if kept("javascript:x") else "url"


@functools.lru_cache(maxsize=1024)
def _host(attribute: str) -> str | None:
    """An element on which the sanitizer keeps `attribute` (by some value), or None: how an
    attribute of a removed element is judged (it is reported if no element may keep it).
    Only the elements the configuration names it for are tried (`ATTRIBUTES`, `MEDIA`): the
    sanitizer keeps it on no other."""
    everywhere = ATTRIBUTES.get("*", set())
    for element in sorted(TAGS):
        listed = everywhere | ATTRIBUTES.get(element, set()) | MEDIA.get(element, {}).keys()
        if attribute in listed and _attribute(element, attribute) != "removed":
            return element
    return None


def _urls_kept(asked: list[tuple[str, str, str, str]]) -> list[bool]:
    """Whether the sanitizer keeps each (within, element, attribute, URL): one call for all,
    each element marked by its ``title`` (``lang`` when the URL is the title)."""
    if not asked:
        return []
    probes = []
    for index, (within, element, attribute, value) in enumerate(asked):
        mark = "lang" if attribute == "title" else "title"
        probes.append(
            f'{_context(element, within) or ""}<{element} {mark}="{_PROBE}-{index}" '
            f'{attribute}="{html.escape(value)}"></{element}>'
        )
    clean = _clean("\n".join(probes))
    kept = [False] * len(asked)
    for tag in re.finditer(rf'<[^>]*"{_PROBE}-(\d+)"[^>]*>', clean):
        index = int(tag.group(1))
        kept[index] = f" {asked[index][2]}=" in tag.group(0)
    return kept


def _url_removed(value: str) -> str:
    """What a report calls a URL the sanitizer removed: by its scheme."""
    squeezed = _URL_IGNORED.sub("", value)
    scheme = _SCHEME.match(squeezed)
    if scheme is not None and scheme.group(1).lower() not in URL_SCHEMES:
        return f"'{scheme.group(1).lower()}:' URL"
    shown = squeezed if len(squeezed) <= 60 else squeezed[:57] + "..."
    return f"URL '{shown}' (not a valid URL)"


@dataclass(frozen=True)
class _Plan:
    """What the sanitizer does to a tag: whether it keeps the element, what it removes
    whatever the values (messages), which attributes it keeps or removes by their value
    (URLs: (attribute, an element to try the value on))."""

    kept: bool
    removed: tuple[str, ...]
    urls: tuple[tuple[str, str, str], ...]


@functools.lru_cache(maxsize=4096)
def _plan(element: str, attributes: tuple[str, ...], within: str) -> _Plan:
    """`_Plan` of a tag of this name with attributes of these names (an attribute of a
    removed element is tried on an element that may keep it, `_host`)."""
    removed = " is removed from the page"
    kept = kept_element(element, within)
    found = []
    if not kept:
        content = " (removed with its content)" if _removes_content(element, within) else ""
        found.append(f"<{element}> element{content}{removed}")
    urls = []
    for attribute in attributes:
        host = element if kept else _host(attribute)
        fate = "removed" if host is None else _attribute(host, attribute, within * kept)
        if fate == "url" and host is not None:
            urls.append((attribute, host, within * kept))
        elif fate == "removed" and (kept or host is None):
            found.append(f"'{attribute}' attribute{removed}")
    return _Plan(kept, tuple(found), tuple(urls))


def unsafe_html(masked: str) -> list[tuple[int, str]]:
    """What the sanitizer removes from a note's raw HTML, or tames, as (offset, what happens)
    pairs, to report: elements (with their content for ``<script>`` and ``<style>``),
    attributes, URLs of schemes other than http, https and mailto (in tags and in Markdown
    links); an attribute of a removed element when no element may keep it; media from
    another host.

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
    tags = raw_tags(masked)
    asked: list[tuple[str, str, str, str]] = []  # (within, element, attribute, URL) to try
    where: list[tuple[int, str]] = []  # (offset, attribute) of each of them
    for tag in tags:
        plan = _plan(tag.name, tuple(tag.attributes), tag.within)
        found += [(tag.start, what) for what in plan.removed]
        for attribute, host, within in plan.urls:
            asked.append((within, host, attribute, tag.attributes[attribute]))
            where.append((tag.start, attribute))
    for link in _MARKDOWN_URL.finditer(masked) if "]" in masked else ():
        asked.append(("", "a", "href", link.group(1)))
        where.append((link.start(), ""))
    kept_urls: set[tuple[int, str]] = set()
    answers = zip(where, asked, _urls_kept(asked), strict=True)
    for (offset, attribute), (_, _, _, value), url_kept in answers:
        if url_kept:
            kept_urls.add((offset, attribute))
        else:
            found.append((offset, f"{_url_removed(value)}{removed}"))
    for tag in tags:  # after the URLs: media say what happens to those the sanitizer keeps
        if tag.name in _MEDIA_TAGS or "poster" in tag.attributes:
            published = {a for a in tag.attributes if (tag.start, a) in kept_urls}
            kept = kept_element(tag.name, tag.within)
            found += [(tag.start, what) for what in _media(tag, published, kept)]
    return sorted(found)


_MEDIA_TAGS = {"video", "audio", "source"}


def _media(tag: RawTag, published: set[str], kept: bool) -> list[str]:
    """What `sanitize` does to one media tag's sources from other hosts (`published`: its
    URL attributes the sanitizer keeps; a removed element's ``poster`` is judged as on a
    ``<video>``, the one element that could keep it)."""
    found = []
    poster = tag.attributes.get("poster", "")
    is_video = tag.name == "video" or not kept
    if is_video and "poster" in published and outside(html.escape(poster)):
        found.append("'poster' image from another host is removed from the page")
    src = tag.attributes.get("src", "")
    if kept and tag.name in _MEDIA_TAGS and "src" in published and outside(html.escape(src)):
        shown = src if len(src) <= 60 else src[:57] + "..."
        what = "a <source>" if tag.name == "source" else f"<{tag.name}>"
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

    An id or class of a raw tag the sanitizer keeps goes through the sanitizer's own
    attribute filter, so the report says what it does; the attribute lists
    (``{: #id .class }``) are read with attr_list's own parser.

    >>> for found in reserved_names('<div id="__config">x</div>\\n\\nText\\n{: #__drawer .mermaid }'):
    ...     print(found)
    (0, "id '__config' is taken by the page around the note (the theme or notegraph); it is published as 'note-__config'")
    (33, "id '__drawer' is taken by the page around the note (the theme or notegraph); it is published as 'note-__drawer'")
    (33, "class 'mermaid' makes the theme load a script from another host; it is removed from the page")
    """  # noqa: E501
    found: list[tuple[int, str]] = []
    for tag in raw_tags(masked):
        if "id" not in tag.attributes and "class" not in tag.attributes:
            continue
        if not kept_element(tag.name, tag.within):
            continue
        renamed: Renamed = []
        names = _names_filter(renamed)
        for attribute in ("id", "class"):
            fate = _attribute(tag.name, attribute, tag.within)
            if attribute in tag.attributes and fate == "kept":
                names(tag.name, attribute, tag.attributes[attribute])
        for change in renamed:
            found += [(tag.start, what) for what in _renamed(*change)]
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

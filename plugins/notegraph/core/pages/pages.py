"""Markdown for every generated page: notes, topics, tags, folders, the A–Z index.

Pages are Markdown, not HTML, so that MkDocs renders, link-checks and indexes them like any
hand-written page. Every link is a relative link to another page's source (``../b.md``);
every name that comes from a note is escaped for Markdown and HTML before it lands. The raw
HTML a page needs (timestamp links, backlinks, listings, the player) goes to the page's
`Fragments` and is put back after rendering (`fragments.fill`).

>>> md_text("a_b *c* <x>")
'a\\\\_b \\\\*c\\\\* &lt;x&gt;'
"""

from __future__ import annotations

import bisect
import html
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from notegraph.core.base import urls
from notegraph.core.base.names import (
    Key,
    NoteId,
    SrcUri,
    fold,
    machine_name,
    readable,
    yaml_string,
)
from notegraph.core.base.report import plural
from notegraph.core.base.urls import HtmlHref, MdHref, md_href
from notegraph.core.linker.links import Mention, safe_moments
from notegraph.core.pages.edit import edit_link
from notegraph.core.pages.fragments import Fragments
from notegraph.core.sitemap.sitemap import tag_key
from notegraph.core.vault import scan
from notegraph.core.vault.excerpt import excerpt_html, excerpt_text
from notegraph.core.vault.limits import in_spans, loose_angles
from notegraph.core.vault.notes import Heading, Note
from notegraph.core.vault.video import Video, clock, watch_url
from notegraph.core.vault.wikilinks import WikiLink

if TYPE_CHECKING:
    from notegraph.core.pages.site import Site

__all__ = [
    "plural",
    "md_text",
    "note_page",
    "topic_page",
    "video_page",
    "frontmatter_block",
    "fallback_html",
    "play_link",
    "player",
]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#!|])")
_CRUMB = re.compile(
    r"[ \t]*[^\W\d_][^\W_]*(?:[ \t]+[^\W_]+){0,2}[ \t]*::?[ \t]*"  # a label of 1 to 3 words
    r"(?:\[\[[^\[\]\n]+\]\][ \t]*,?[ \t]*)+"  # then only wikilinks
    r"(?:<br[ \t]*/?>)?[ \t]*"
)
"""A note's opening line made of a short label and links (``From: [[lennyspodcast]]``,
``up:: [[Index]]``): navigation, the same on many notes, not the note's own words."""
CRUMB_CLASS = "ng-crumb"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp")
MAX_EMBED_DEPTH = 4


def md_text(text: str) -> str:
    """Escape text so that Markdown and HTML show it exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_link(text: str, href: MdHref, css: str = "") -> str:
    """A Markdown link with escaped text; `href` must already be a safe relative URL."""
    attrs = f"{{ .{css} }}" if css else ""
    return f"[{md_text(text)}](<{href}>){attrs}"


def frontmatter_block(title: str) -> str:
    """YAML meta for a generated page. Titles are HTML-escaped: themes print them raw."""
    return f"---\ntitle: {yaml_string(html.escape(title, quote=False))}\n---\n\n"


def _section(note: Note, heading: str | None) -> tuple[int, int] | None:
    """Span of the note an embed shows: all of it, the block ``^id`` names, or what stands
    under a heading (to the next heading of the same or higher level); None when the note
    has no such block or heading."""
    if not heading:
        return 0, len(note.body)
    if heading.startswith("^"):
        return scan.block_spans(note.body).get(heading[1:])
    for i, candidate in enumerate(note.headings):
        if candidate.anchor == heading or fold(candidate.text) == fold(heading):
            end = next(
                (h.start for h in note.headings[i + 1 :] if h.level <= candidate.level),
                len(note.body),
            )
            return candidate.start, end
    return None


def _render_link(
    site: Site,
    note: Note,
    link: WikiLink,
    page_uri: SrcUri,
    stack: tuple[NoteId, ...],
    line_alone: bool,
    out: Fragments,
    level: int = 1,
) -> str:
    """A link as Markdown; an embed alone on its line is the other note's body, its headings
    placed below `level`, the level of the heading that holds the link on the page."""
    target = site.links.target(note, link)
    res = target.resolution
    if res.note is not None:
        if link.embed and line_alone:
            return _embed(site, note, link, res.note, page_uri, stack, out, level)
        uri = site.map.note_uri[res.note]
        anchor = target.anchor or _block_anchor(site.vault.notes[res.note], link.heading)
        if target.self_link and stack[0] == note.id:
            return md_link(target.shown, md_href(page_uri, page_uri, anchor))
        return md_link(target.shown, md_href(uri, page_uri, anchor))
    if res.attachment is not None:
        uri = site.map.attachment_uri[res.attachment]
        href = md_href(uri, page_uri)
        if link.embed and res.attachment.lower().endswith(IMAGE_SUFFIXES):
            size = ""
            if link.width:
                width, _, height = link.width.partition("x")
                size = f'{{ width="{width}"' + (f' height="{height}"' if height else "") + " }"
            alt = link.alias or posixpath.basename(res.attachment)
            return f"![{md_text(alt)}](<{href}>){size}"
        return md_link(link.alias or posixpath.basename(res.attachment), href)
    if link.markdown:
        return md_text(link.alias or link.target)
    assert res.topic is not None
    shown = link.shown
    if not link.alias and not link.heading and machine_name(link.target):
        shown = site.map.topic_title[res.topic]  # written as a file name: shown as its title
    return md_link(shown, md_href(site.map.topic_uri[res.topic], page_uri), "ng-topic")


def _block_anchor(note: Note, heading: str | None) -> str | None:
    """The id of the block ``^id`` a link names (``[[Note#^id]]``), when the note has it."""
    if heading and heading.startswith("^") and heading[1:] in scan.block_spans(note.body):
        return heading
    return None


def _embed(
    site: Site,
    note: Note,
    link: WikiLink,
    target: NoteId,
    page_uri: SrcUri,
    stack: tuple[NoteId, ...],
    out: Fragments,
    level: int = 1,
) -> str:
    embedded = site.vault.notes[target]
    uri = site.map.note_uri[target]
    if target in stack or len(stack) >= MAX_EMBED_DEPTH:
        line, col = note.position(link.start)
        chain = " → ".join([*stack, target])
        site.report.warn(
            note.id,
            f"embed cycle ({chain}); shown as a link",
            line=line,
            col=col,
            code="embed-cycle",
        )
        return md_link(site.links.target(note, link).shown, md_href(uri, page_uri))
    span = _section(embedded, link.heading)
    if span is None:  # no such heading or block (reported): a link to the note
        return md_link(site.links.target(note, link).shown, md_href(uri, page_uri))
    lo, hi = span
    heading = _title_heading(embedded) if link.heading is None else None
    if heading is not None:  # the opener below already shows the title
        lo = max(lo, _line_end(embedded.body, heading.start))
    levels = [h.level for h in embedded.headings if lo <= h.start < hi]
    shift = level + 1 - min(levels) if levels else 0
    body = render_body(site, embedded, page_uri, (*stack, target), out, (lo, hi), level, shift)
    opener = md_link(embedded.title, md_href(uri, page_uri), "ng-embed-title")
    opening = f'<div class="ng-embed"{note_attrs(site, target, page_uri)} markdown="1">'
    return f"\n\n{opening}\n\n{opener}\n\n{body.strip()}\n\n</div>\n\n"


def _shifted(level: int, shift: int) -> int:
    """A heading level moved by `shift`, kept within Markdown's 1 to 6."""
    return max(1, min(6, level + shift))


def _title_heading(note: Note) -> Heading | None:
    """The note's ``# Title`` heading when its body opens with it, else None."""
    first = note.headings[0] if note.headings else None
    if first is None or first.level != 1 or note.body[: first.start].strip():
        return None
    return first if fold(first.text) == fold(note.title) else None


def _crumb_end(body: str, lo: int, hi: int) -> int | None:
    """End of the crumb line (`_CRUMB`) that opens ``body[lo:hi]``, after an opening
    ``# Title``, when it is a paragraph of its own; else None.

    >>> _crumb_end("\\nFrom: [[a]] <br/>\\n\\nText.", 0, 20)
    18
    >>> _crumb_end("From: [[a]]\\nText", 0, 16) is None  # the paragraph goes on
    True
    """

    def text_from(offset: int) -> int:
        while offset < hi and body[offset] in " \t\r\n":
            offset += 1
        return offset

    at = text_from(lo)
    if body.startswith("# ", at):
        at = text_from(_line_end(body, at))
    end = min(_line_end(body, at), hi)
    if at >= hi or not _CRUMB.fullmatch(body, at, end):
        return None
    after = body[end + 1 : _line_end(body, end + 1)] if end < len(body) else ""
    return end if not after.strip() else None


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end == -1 else end


def render_body(
    site: Site,
    note: Note,
    page_uri: SrcUri,
    stack: tuple[NoteId, ...],
    out: Fragments,
    span: tuple[int, int] | None = None,
    base: int = 1,
    shift: int = 0,
) -> str:
    """The note's Markdown with links rewritten to pages and Obsidian comments removed.

    `span` limits it to a section of the body (for embeds of ``![[Note#Heading]]``).
    Timestamp links go to `out`, but in headings, where they stay inline HTML: a token
    there would reach the table of contents. Headings move `shift` levels down (at most to
    level 6); `base` is the level of the heading the text sits under on the page (1: the
    page's title), which an embed before the note's first heading goes below.
    """
    body = note.body
    lo, hi = span or (0, len(body))
    edits: list[tuple[int, int, str, bool]] = []  # (start, end, replacement, raw HTML?)
    for start, end in note.plain:  # over the limits: plain text, links and stamps included
        if lo <= start < hi:
            text = html.escape(body[start:end], quote=False)
            edits.append((start, end, out.block(f'<p class="ng-plain">{text}</p>'), False))
    edits += [(c.start, c.end, c.text, False) for c in note.cuts if lo <= c.start < hi]
    assert note.masked is not None
    edits += [
        (at, at + 1, "&lt;", False) for at in loose_angles(note.masked.masked) if lo <= at < hi
    ]
    headings = [h for h in note.headings if lo <= h.start < hi]
    starts = [h.start for h in headings]
    for link in note.links:
        if lo <= link.start and link.end <= hi and not in_spans(note.plain, link.start):
            line_start = body.rfind("\n", 0, link.start) + 1
            line_end = body.find("\n", link.end)
            line = body[line_start : len(body) if line_end == -1 else line_end]
            alone = line.rstrip() == link.raw
            above = bisect.bisect_right(starts, link.start) - 1
            level = _shifted(headings[above].level, shift) if above >= 0 else base
            rendered = _render_link(site, note, link, page_uri, stack, alone, out, level)
            edits.append((link.start, link.end, rendered, False))
    if shift:
        for h in headings:
            edits.append((h.start, h.start + h.level, "#" * _shifted(h.level, shift), False))
    crumb = _crumb_end(body, lo, hi)
    if crumb is not None:  # attr_list: the class goes on the paragraph of one line
        edits.append((crumb, crumb, f"\n{{: .{CRUMB_CLASS} }}", False))
    edits += [(start, end, "", False) for start, end in note.masked.comments if lo <= start < hi]
    lines = [(h.start, _line_end(body, h.start)) for h in note.headings]
    for stamp in note.stamps:
        if lo <= stamp.start and stamp.end <= hi and not in_spans(note.plain, stamp.start):
            video = site.map.videos.get(note.id)
            if video is None or stamp.seconds is None:  # stays text
                text = md_text(stamp.text) if stamp.anchor else stamp.text
                edits.append((stamp.start, stamp.end, text, False))
                continue
            in_heading = any(a <= stamp.start < b for a, b in lines)
            # In a heading the stamp keeps the digits the note wrote: they are part of the
            # heading's id, which links to the heading use.
            label = stamp.text.strip("[]") if in_heading else None
            play = play_link(site, video, stamp.seconds, page_uri, label)
            edits.append((stamp.start, stamp.end, play, not in_heading))
    pieces: list[str] = []
    position = lo
    for start, end, replacement, aside in sorted(edits, key=lambda e: (e[0], -e[1])):
        if start < position:  # inside an edit already made (a paragraph published as text)
            continue
        pieces.append(body[position:start])
        pieces.append(out.inline(replacement) if aside else replacement)
        position = end
    pieces.append(body[position:hi])
    return "".join(pieces)


def _video_href(site: Site, video: Video, page_uri: SrcUri) -> str | None:
    """Relative URL of a self-hosted video file in the vault, or its absolute URL."""
    if video.src is None or video.src.startswith(("http://", "https://")):
        return video.src
    uri = site.map.attachment_uri.get(video.src)
    return html_href(site, uri, page_uri) if uri else None


def play_link(
    site: Site, video: Video, seconds: int, page_uri: SrcUri, label: str | None = None
) -> str:
    """A link that plays `video` from `seconds`: the docked player (video.js), or the video
    host at that moment without JavaScript. It shows the moment as players do (``1:02``),
    or `label`; the stylesheet gives it a play icon and tabular figures.
    """
    url = watch_url(video, seconds, _video_href(site, video, page_uri))
    shown = html.escape(label, quote=False) if label else clock(seconds)
    return (
        f'<a class="ng-stamp" href="{html.escape(url)}" data-t="{seconds}" '
        f'data-video="{html.escape(video.key)}" title="Play the video from {clock(seconds)}">'
        f"{shown}</a>"
    )


def _attrs(values: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value)}"' for name, value in values.items() if value)


def note_attrs(site: Site, note_id: NoteId, page_uri: SrcUri) -> str:
    """``data-ng-note`` and ``data-ng-note-href`` of an element whose moments are the note's:
    the player shows which note the moment playing comes from."""
    href = html_href(site, site.map.note_uri[note_id], page_uri)
    return _attrs({"data-ng-note": site.vault.notes[note_id].title, "data-ng-note-href": href})


def video_attrs(site: Site, video: Video, page_uri: SrcUri, note_id: NoteId | None) -> str:
    """``data-ng-video-title`` and ``data-ng-video-href``: the title the player shows for
    `video`, and its page (a YouTube video's page, else the note's)."""
    if video.youtube and video.youtube in site.map.video_uri:
        title = site.map.video_title[video.youtube]
        href = html_href(site, site.map.video_uri[video.youtube], page_uri)
    elif note_id is not None:
        title = site.vault.notes[note_id].title
        href = html_href(site, site.map.note_uri[note_id], page_uri)
    else:
        return ""
    return _attrs({"data-ng-video-title": title, "data-ng-video-href": href})


def player(site: Site, video: Video, page_uri: SrcUri, note_id: NoteId | None = None) -> str:
    """The player's place on a page: a button that opens the docked player (video.js shows
    it) and the plain way to the video without JavaScript. Nothing loads from the video
    host until the reader asks.
    """
    attrs = f'class="ng-player" data-video="{html.escape(video.key)}"' + video_attrs(
        site, video, page_uri, note_id
    )
    if note_id is not None:
        attrs += note_attrs(site, note_id, page_uri)
    button = (
        '<button type="button" class="ng-player-start md-button md-button--primary" hidden>'
        "▶ Play video</button> "
    )
    if video.youtube:
        watch = html.escape(watch_url(video))
        return (
            f'<div {attrs} data-youtube="{html.escape(video.youtube)}">{button}'
            f'<a class="ng-player-link" href="{watch}">Watch on YouTube</a></div>\n\n'
        )
    href = _video_href(site, video, page_uri)
    if href is None:
        return ""
    src = html.escape(href)
    return (
        f'<div {attrs} data-src="{src}">{button}'
        f'<noscript><video controls preload="none" src="{src}"></video></noscript>'
        f'<a class="ng-player-link" href="{src}">Open the video file</a></div>\n\n'
    )


def excerpt_href(site: Site, source: NoteId, page_uri: SrcUri) -> Callable[[int], str | None]:
    """Where a link of `source`, named by its offset in the body, goes from `page_uri` (for
    the links an excerpt keeps, `excerpt.excerpt_html`): None for a link that leads nowhere
    (a Markdown link to no note)."""
    place = link_place(site, source)

    def href(offset: int) -> str | None:
        found = place(offset)
        return html_href(site, found[0], page_uri, found[1]) if found is not None else None

    return href


def link_place(site: Site, source: NoteId) -> Callable[[int], tuple[str, str | None] | None]:
    """The page (its source path) and anchor a link of `source`, named by its offset in the
    body, goes to; None for a link that leads nowhere (`excerpt_href`)."""

    def place(offset: int) -> tuple[str, str | None] | None:
        target = site.links.targets.get((source, offset))
        if target is None:
            return None
        res = target.resolution
        if res.note is not None:
            note = site.vault.notes[res.note]
            links = site.vault.notes[source].links  # in body order
            link = links[bisect.bisect_left(links, offset, key=lambda link: link.start)]
            return site.map.note_uri[res.note], target.anchor or _block_anchor(note, link.heading)
        if res.attachment is not None:
            return site.map.attachment_uri[res.attachment], None
        if res.topic is not None and res.topic in site.map.topic_uri:
            return site.map.topic_uri[res.topic], None
        return None

    return place


def _context_html(site: Site, mention: Mention, page_uri: SrcUri) -> str:
    text = excerpt_html(mention.context, excerpt_href(site, mention.source, page_uri))
    video = site.map.videos.get(mention.source)
    if video is not None and mention.moments:
        text += " " + " ".join(play_link(site, video, s, page_uri) for s in mention.moments)
    return text


def html_href(site: Site, target: str, page_uri: str, anchor: str | None = None) -> HtmlHref:
    """`urls.html_href` with the site's style of URL."""
    return urls.html_href(target, page_uri, site.options.use_directory_urls, anchor)


def html_link(text: str, href: HtmlHref, css: str = "") -> str:
    attrs = f' class="{css}"' if css else ""
    return f'<a href="{html.escape(href)}"{attrs}>{html.escape(text, quote=False)}</a>'


def listing_html(site: Site, page_uri: SrcUri, entries: Iterable[tuple[str, str, str]]) -> str:
    """A list of links, sorted by title; entries are (title, target, text after the link).

    Raw HTML, not Markdown: listings are the bulk of generated pages and need no parsing.
    """
    items = [
        f"<li>{html_link(title, html_href(site, uri, page_uri))}"
        + (f" · {html.escape(extra, quote=False)}" if extra else "")
        + "</li>"
        for title, uri, extra in sorted(entries, key=lambda e: (e[0].casefold(), e[1]))
    ]
    if not items:
        return "<p><em>Nothing here yet.</em></p>\n"
    return '<ul class="ng-list">' + "".join(items) + "</ul>\n"


def mentions_list(site: Site, mentions: Iterable[Mention], page_uri: SrcUri) -> str:
    """Mentions grouped per linking note, each with the sentence around the link (raw HTML)."""
    grouped: dict[NoteId, list[Mention]] = {}
    for mention in mentions:
        grouped.setdefault(mention.source, []).append(mention)
    notes = site.vault.notes
    parts = ['<ul class="ng-mentions">']
    for source in sorted(grouped, key=lambda n: (notes[n].title.casefold(), n)):
        link = html_link(notes[source].title, html_href(site, site.map.note_uri[source], page_uri))
        video = site.map.videos.get(source)
        attrs = note_attrs(site, source, page_uri) + (
            video_attrs(site, video, page_uri, source) if video is not None else ""
        )
        parts.append(f"<li{attrs}>{link}<ul>")
        seen: set[str] = set()
        for mention in sorted(grouped[source], key=lambda m: m.line):
            if mention.context in seen:
                continue
            seen.add(mention.context)
            parts.append(f"<li>{_context_html(site, mention, page_uri)}</li>")
        parts.append("</ul></li>")
    parts.append("</ul>")
    return "".join(parts) + "\n"


def _tags_line(site: Site, note: Note, page_uri: SrcUri) -> str:
    chips = [
        html_link(f"#{tag}", html_href(site, site.map.tag_uri[tag_key(tag)], page_uri), "ng-tag")
        for tag in note.tags
    ]
    return '<p class="ng-tags">' + " ".join(chips) + "</p>\n\n" if chips else ""


def fallback_html(text: str | None) -> str:
    """The safe form of a page notegraph failed on: the note's `text` as it is, escaped
    (no Markdown, no HTML of its own), under a word for the reader."""
    if text is None:
        return '<p class="ng-fallback-notice">This page could not be written.</p>\n'
    return (
        '<p class="ng-fallback-notice">This note is shown as plain text: it could not be '
        "rendered.</p>\n"
        f'<pre class="ng-fallback">{html.escape(text, quote=False)}</pre>\n'
    )


def note_page(site: Site, note: Note, out: Fragments) -> str:
    """The page of one note: its body with links rewritten, its tags and its backlinks.

    A note that could not be read or linked (`Note.failed`, `Links.failed`) shows its text
    as plain text (`fallback_html`).
    """
    if note.failed or note.id in site.links.failed:
        return frontmatter_block(note.title) + out.block(fallback_html(note.body))
    uri = site.map.note_uri[note.id]
    body = render_body(site, note, uri, (note.id,), out).strip("\n")
    tags = _tags_line(site, note, uri)
    header = out.block(tags).lstrip("\n") if tags else ""
    video = site.map.videos.get(note.id)
    if video is not None:
        header += out.block(player(site, video, uri, note.id)).lstrip("\n")
        if video.youtube and video.youtube in site.map.video_uri:
            video_page = md_href(site.map.video_uri[video.youtube], uri)
            header += md_link("Every moment of this video", video_page, "ng-video-page") + "\n\n"
    first = body.lstrip().split("\n", 1)
    if first[0].startswith("# ") and header:
        body = first[0] + "\n\n" + header + (first[1] if len(first) > 1 else "")
    else:
        body = header + body
    backlinks = site.links.backlinks.get(note.id, [])
    section = ""
    if backlinks:
        section = (
            '\n\n<section class="ng-backlinks" markdown="1">\n\n'
            "## Backlinks { #ng-backlinks }\n"
            + out.block(mentions_list(site, backlinks, uri))
            + "</section>\n"
        )
    edit = edit_link(note.id, site.options.edit_url)
    return frontmatter_block(note.title) + body + "\n" + section + (out.block(edit) if edit else "")


def _file_name_of(spelling: str, title: str) -> bool:
    """Whether `spelling` is `title` written as a file name (not another spelling to show)."""
    return machine_name(spelling) and readable(spelling).casefold() == title.casefold()


def topic_page(site: Site, key: str, out: Fragments) -> str:
    """A page for a link target that is no note: every mention, with its sentence."""
    topic = Key(key)
    uri = site.map.topic_uri[topic]
    mentions = site.links.mentions[topic]
    sources = {m.source for m in mentions}
    title = site.map.topic_title[topic]
    spellings = sorted(
        s
        for s in site.links.spellings[topic]
        if s.casefold() != title.casefold() and not _file_name_of(s, title)
    )
    lines = [
        frontmatter_block(title),
        out.block(
            f'<p class="ng-kind">Topic · {plural(len(mentions), "mention")}'
            f" in {plural(len(sources), 'note')} · no note of its own yet</p>"
        ),
    ]
    if spellings:
        also = ", ".join(md_text(s) for s in spellings)
        lines.append(f"Also written: {also}\n{{: .ng-also }}\n")
    lines.append("## Mentions { #ng-mentions }\n")
    lines.append(out.block(mentions_list(site, mentions, uri)))
    return "\n".join(lines)


OPEN_GROUPS_UP_TO = 40
"""A video page shows its groups open when it has this many moments or fewer, else closed."""
MAX_NOTE_GROUPS = 30
"""Past this many notes, a video page groups its moments by stretch of time instead."""


@dataclass(frozen=True, slots=True)
class Moment:
    """One line of a video page: a sentence and every moment that cites it."""

    seconds: tuple[int, ...]
    sentence: str
    note: NoteId


@dataclass(frozen=True, slots=True)
class MomentGroup:
    """A collapsible group of a video page: a note's moments, or a stretch of the video."""

    title: str
    note: NoteId | None
    moments: tuple[Moment, ...]


def _same_sentence(sentence: str) -> str:
    return " ".join(re.findall(r"\w+", excerpt_text(sentence).casefold()))


def video_moments(site: Site, youtube: str) -> list[tuple[int, NoteId, str]]:
    """Every (seconds, note, sentence) the notes of a video cite, once each."""
    found: dict[tuple[int, NoteId, str], None] = {}
    for note_id in site.map.video_notes[youtube]:
        note = site.vault.notes[note_id]
        for stamp, sentence in safe_moments(note, site.links.shown_in(note_id), site.report):
            assert stamp.seconds is not None
            found.setdefault((stamp.seconds, note_id, sentence), None)
    return list(found)


def group_moments(
    cited: list[tuple[int, NoteId, str]], titles: dict[NoteId, str]
) -> list[MomentGroup]:
    """The groups of a video page, each in time order, in the order of their first moment.

    A group per note, or, past `MAX_NOTE_GROUPS` notes, per stretch of the video (of 5
    minutes or a multiple, so that there are at most that many). A sentence cited more than
    once (by several stamps, or word for word by several notes) is one line with all its
    moments, in the group where it comes first.

    >>> titles = {NoteId("a.md"): "A", NoteId("b.md"): "B"}
    >>> cited = [(30, "b.md", "Same."), (5, "a.md", "First."), (40, "a.md", "same"),
    ...          (50, "a.md", "First.")]
    >>> [(g.title, [(m.seconds, m.sentence) for m in g.moments])
    ...  for g in group_moments(cited, titles)]
    [('A', [((5, 50), 'First.')]), ('B', [((30, 40), 'Same.')])]
    """
    notes = sorted({note for _, note, _ in cited}, key=lambda n: (titles[n].casefold(), n))
    by_note = len(notes) <= MAX_NOTE_GROUPS
    last = max((seconds for seconds, _, _ in cited), default=0)
    stretch = 300 * max(1, -(-last // (300 * MAX_NOTE_GROUPS)))

    def group_of(seconds: int, note: NoteId) -> tuple[str, NoteId | None]:
        if by_note:
            return titles[note], note
        start = seconds // stretch * stretch
        return f"{clock(start)}–{clock(start + stretch)}", None

    lines: dict[str, tuple[tuple[str, NoteId | None], list[int], str, NoteId]] = {}
    for seconds, note, sentence in sorted(
        cited, key=lambda c: (c[0], titles[c[1]].casefold(), c[1])
    ):
        key = _same_sentence(sentence) or f"{seconds}\x00{note}"
        if key in lines:
            lines[key][1].append(seconds)
        else:
            lines[key] = (group_of(seconds, note), [seconds], sentence, note)
    grouped: dict[tuple[str, NoteId | None], list[Moment]] = {}
    for where, seconds_list, sentence, note in lines.values():
        moment = Moment(tuple(sorted(set(seconds_list))), sentence, note)
        grouped.setdefault(where, []).append(moment)
    groups = [
        MomentGroup(title, note, tuple(sorted(moments, key=lambda m: m.seconds)))
        for (title, note), moments in grouped.items()
    ]
    return sorted(groups, key=lambda g: (g.moments[0].seconds[0], g.title.casefold()))


def _ticks(seconds: Iterable[int], last: int) -> list[int]:
    """Distinct positions of moments on a strip that ends at `last`, in tenths of a percent."""
    return sorted({round(s * 1000 / max(last, 1)) for s in seconds})


def timeline_strip(seconds: Iterable[int], last: int, css: str) -> str:
    """A strip with a tick where each moment falls in the video (decorative: the text beside
    it says the same in words). Plain elements, no SVG: an article holds no SVG at all."""
    ticks = "".join(f'<i style="left:{x / 10:g}%"></i>' for x in _ticks(seconds, last))
    return f'<span class="ng-strip {css}" aria-hidden="true">{ticks}</span>'


def _moment_line(site: Site, video: Video, moment: Moment, uri: SrcUri, by_note: bool) -> str:
    first, *more = (play_link(site, video, s, uri) for s in moment.seconds)
    text = excerpt_html(moment.sentence, excerpt_href(site, moment.note, uri))
    extra = "".join(f" {link}" for link in more)
    source = ""
    if not by_note:
        note = site.vault.notes[moment.note]
        source = " · " + html_link(note.title, html_href(site, site.map.note_uri[moment.note], uri))
    attrs = "" if by_note else note_attrs(site, moment.note, uri)
    return f'<li{attrs}>{first} <span class="ng-moment-text">{text}{extra}{source}</span></li>'


def _group_html(
    site: Site, video: Video, group: MomentGroup, uri: SrcUri, last: int, opened: bool
) -> str:
    seconds = [s for moment in group.moments for s in moment.seconds]
    count = len(seconds)
    span = clock(min(seconds)) + (f"–{clock(max(seconds))}" if max(seconds) > min(seconds) else "")
    meta = f"{count} moment{'s' * (count != 1)} · {span}"
    attrs = note_attrs(site, group.note, uri) if group.note else ""
    link = ""
    if group.note is not None:
        href = html_href(site, site.map.note_uri[group.note], uri)
        link = f'<p class="ng-group-note">{html_link("Open the note", href)}</p>'
    items = "".join(
        _moment_line(site, video, m, uri, group.note is not None) for m in group.moments
    )
    return (
        f'<details class="ng-group"{attrs}{" open" * opened}><summary>'
        f'<span class="ng-group-title">{html.escape(group.title, quote=False)}</span> '
        f'<span class="ng-group-meta">{meta}</span>'
        f"{timeline_strip(seconds, last, 'ng-group-strip')}</summary>"
        f'{link}<ul class="ng-group-moments">{items}</ul></details>'
    )


def video_page(site: Site, youtube: str, out: Fragments) -> str:
    """A video's page: its player, a timeline of where the moments fall, then the moments
    grouped by note (`group_moments`), each group collapsible, in time order."""
    uri = site.map.video_uri[youtube]
    cited = video_moments(site, youtube)
    titles = {n: site.vault.notes[n].title for n in site.map.video_notes[youtube]}
    groups = group_moments(cited, titles)
    video = Video(youtube=youtube)
    notes = site.map.video_notes[youtube]
    last = max((seconds for seconds, _, _ in cited), default=0)
    lines = [
        frontmatter_block(site.map.video_title[youtube]),
        out.block(
            f'<p class="ng-kind">Video · {plural(len(cited), "moment")} '
            f"from {plural(len(notes), 'note')}</p>"
        ),
        out.block(player(site, video, uri)),
        "## Moments { #ng-moments }\n",
    ]
    if cited:
        lines.append(
            out.block(
                '<figure class="ng-timeline">'
                + timeline_strip((s for s, _, _ in cited), last, "ng-timeline-strip")
                + f"<figcaption>Where the moments fall, from 0:00 to the last at {clock(last)}"
                "</figcaption></figure>"
            )
        )
    opened = len(cited) <= OPEN_GROUPS_UP_TO
    body = "".join(_group_html(site, video, g, uri, last, opened) for g in groups)
    lines.append(out.block(f'<div class="ng-moments">{body}</div>'))
    return "\n".join(lines) + "\n"

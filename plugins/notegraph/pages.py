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
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote

from .edit import edit_link
from .fragments import Fragments
from .links import MARK_CLOSE, MARK_OPEN, Mention, note_moments
from .names import (
    Key,
    NoteId,
    SrcUri,
    fold,
    machine_name,
    readable,
    relative_link,
    relative_path,
    yaml_string,
)
from .notes import Heading, Note
from .video import Video, format_seconds, watch_url
from .wikilinks import WikiLink

if TYPE_CHECKING:
    from .site import Site

__all__ = [
    "plural",
    "md_text",
    "note_page",
    "topic_page",
    "video_page",
    "frontmatter_block",
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


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`count` and the noun that agrees with it, for the counts pages show.

    >>> plural(1, "note"), plural(0, "note"), plural(2, "mention"), plural(3, "child", "children")
    ('1 note', '0 notes', '2 mentions', '3 children')
    """
    noun = singular if count == 1 else plural_form or f"{singular}s"
    return f"{count} {noun}"


def md_text(text: str) -> str:
    """Escape text so that Markdown and HTML show it exactly as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_link(text: str, href: str, css: str = "") -> str:
    """A Markdown link with escaped text; `href` must already be a safe relative URL."""
    attrs = f"{{ .{css} }}" if css else ""
    return f"[{md_text(text)}](<{href}>){attrs}"


def frontmatter_block(title: str) -> str:
    """YAML meta for a generated page. Titles are HTML-escaped: themes print them raw."""
    return f"---\ntitle: {yaml_string(html.escape(title, quote=False))}\n---\n\n"


def _href(site: Site, target_uri: str, page_uri: str, anchor: str | None = None) -> str:
    href = quote(relative_link(target_uri, page_uri), safe="/") if target_uri != page_uri else ""
    fragment = f"#{quote(anchor, safe='')}" if anchor else ""
    return f"{href}{fragment}" or "#"


def _section(note: Note, heading: str | None) -> tuple[int, int]:
    """Span of the note under one heading (to the next heading of the same or higher level)."""
    for i, candidate in enumerate(note.headings):
        if heading and (candidate.anchor == heading or fold(candidate.text) == fold(heading)):
            end = next(
                (h.start for h in note.headings[i + 1 :] if h.level <= candidate.level),
                len(note.body),
            )
            return candidate.start, end
    return 0, len(note.body)


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
        uri = site.note_uri[res.note]
        if target.self_link and stack[0] == note.id:
            return md_link(target.shown, f"#{target.anchor}" if target.anchor else "#")
        return md_link(target.shown, _href(site, uri, page_uri, target.anchor))
    if res.attachment is not None:
        uri = site.attachment_uri[res.attachment]
        href = _href(site, uri, page_uri)
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
        shown = site.topic_title[res.topic]  # written as a file name: shown as its title
    return md_link(shown, _href(site, site.topic_uri[res.topic], page_uri), "ng-topic")


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
    uri = site.note_uri[target]
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
        return md_link(site.links.target(note, link).shown, _href(site, uri, page_uri))
    lo, hi = _section(embedded, link.heading)
    heading = _title_heading(embedded) if link.heading is None else None
    if heading is not None:  # the opener below already shows the title
        lo = max(lo, _line_end(embedded.body, heading.start))
    levels = [h.level for h in embedded.headings if lo <= h.start < hi]
    shift = level + 1 - min(levels) if levels else 0
    body = render_body(site, embedded, page_uri, (*stack, target), out, (lo, hi), level, shift)
    opener = md_link(embedded.title, _href(site, uri, page_uri), "ng-embed-title")
    return f'\n\n<div class="ng-embed" markdown="1">\n\n{opener}\n\n{body.strip()}\n\n</div>\n\n'


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
    headings = [h for h in note.headings if lo <= h.start < hi]
    starts = [h.start for h in headings]
    for link in note.links:
        if lo <= link.start and link.end <= hi:
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
    assert note.masked is not None
    edits += [(start, end, "", False) for start, end in note.masked.comments if lo <= start < hi]
    lines = [(h.start, _line_end(body, h.start)) for h in note.headings]
    for stamp in note.stamps:
        if lo <= stamp.start and stamp.end <= hi:
            video = site.videos.get(note.id)
            if video is None or stamp.seconds is None:  # stays text
                text = md_text(stamp.text) if stamp.anchor else stamp.text
                edits.append((stamp.start, stamp.end, text, False))
                continue
            play = play_link(site, video, stamp.seconds, page_uri, stamp.text)
            in_heading = any(a <= stamp.start < b for a, b in lines)
            edits.append((stamp.start, stamp.end, play, not in_heading))
    pieces: list[str] = []
    position = lo
    for start, end, replacement, aside in sorted(edits):
        if start < position:
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
    uri = site.attachment_uri.get(video.src)
    return html_href(site, uri, page_uri) if uri else None


def play_link(site: Site, video: Video, seconds: int, page_uri: SrcUri, text: str = "") -> str:
    """A link that plays `video` from `seconds`: the player on the page, or the video host."""
    url = watch_url(video, seconds, _video_href(site, video, page_uri))
    label = text or f"[{format_seconds(seconds)}]"
    return (
        f'<a class="ng-stamp" href="{html.escape(url)}" data-t="{seconds}" '
        f'data-video="{html.escape(video.key)}" title="Play from {format_seconds(seconds)}">'
        f"{html.escape(label, quote=False)}</a>"
    )


def player(site: Site, video: Video, page_uri: SrcUri) -> str:
    """The player block: nothing loads from the video host until the reader asks."""
    if video.youtube:
        watch = html.escape(watch_url(video))
        return (
            f'<div class="ng-player" data-video="{html.escape(video.key)}" '
            f'data-youtube="{html.escape(video.youtube)}">'
            '<button type="button" class="ng-player-start md-button md-button--primary" hidden>'
            "▶ Play video here</button> "
            f'<a class="ng-player-link" href="{watch}">Watch on YouTube</a></div>\n\n'
        )
    href = _video_href(site, video, page_uri)
    if href is None:
        return ""
    return (
        f'<div class="ng-player" data-video="{html.escape(video.key)}">'
        f'<video controls preload="none" src="{html.escape(href)}"></video></div>\n\n'
    )


def _context_html(site: Site, mention: Mention, page_uri: SrcUri) -> str:
    text = html.escape(mention.context, quote=False)
    text = text.replace(MARK_OPEN, '<mark class="ng-mention">').replace(MARK_CLOSE, "</mark>")
    video = site.videos.get(mention.source)
    if video is not None and mention.moments:
        text += " " + " ".join(play_link(site, video, s, page_uri) for s in mention.moments)
    return text


def html_href(site: Site, target: str, page_uri: str, anchor: str | None = None) -> str:
    """URL of `target` (a page source or a file) relative to the *rendered* page of `page_uri`.

    For raw HTML, which MkDocs does not rewrite: the result accounts for directory URLs.
    """
    here = site.url(page_uri)
    there = site.url(target) if target.endswith(".md") else target
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    relative = relative_path(there, base)
    if there.endswith("/") or not there:
        relative = "./" if relative == "." else relative + "/"
    fragment = f"#{quote(anchor, safe='')}" if anchor else ""
    return quote(relative, safe="/") + fragment


def html_link(text: str, href: str, css: str = "") -> str:
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
        link = html_link(notes[source].title, html_href(site, site.note_uri[source], page_uri))
        parts.append(f"<li>{link}<ul>")
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
        html_link(f"#{tag}", html_href(site, site.tag_uri[site.tag_key(tag)], page_uri), "ng-tag")
        for tag in note.tags
    ]
    return '<p class="ng-tags">' + " ".join(chips) + "</p>\n\n" if chips else ""


def note_page(site: Site, note: Note, out: Fragments) -> str:
    """The page of one note: its body with links rewritten, its tags and its backlinks."""
    uri = site.note_uri[note.id]
    body = render_body(site, note, uri, (note.id,), out).strip("\n")
    tags = _tags_line(site, note, uri)
    header = out.block(tags).lstrip("\n") if tags else ""
    video = site.videos.get(note.id)
    if video is not None:
        header += out.block(player(site, video, uri)).lstrip("\n")
        if video.youtube in site.video_uri:
            video_page = _href(site, site.video_uri[video.youtube], uri)
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
    uri = site.topic_uri[topic]
    mentions = site.links.mentions[topic]
    sources = {m.source for m in mentions}
    title = site.topic_title[topic]
    spellings = sorted(
        s for s in site.links.spellings[topic] if s != title and not _file_name_of(s, title)
    )
    lines = [
        frontmatter_block(title),
        out.block(
            f'<p class="ng-kind">Topic · {plural(len(mentions), "mention")}'
            f" in {plural(len(sources), 'note')} · no note of its own yet</p>"
        ),
    ]
    if spellings:
        lines.append("Also written: " + ", ".join(md_text(s) for s in spellings) + "\n")
    lines.append("## Mentions { #ng-mentions }\n")
    lines.append(out.block(mentions_list(site, mentions, uri)))
    return "\n".join(lines)


def video_page(site: Site, youtube: str, out: Fragments) -> str:
    """A video's page: its player, then every moment cited by any note, in time order."""
    uri = site.video_uri[youtube]
    moments: dict[tuple[int, str, NoteId, str], None] = {}
    for note_id in site.video_notes[youtube]:
        note = site.vault.notes[note_id]
        for stamp, sentence in note_moments(note, site.links.shown_in(note_id)):
            assert stamp.seconds is not None
            moments.setdefault((stamp.seconds, note.title.casefold(), note_id, sentence), None)
    video = Video(youtube=youtube)
    notes = site.video_notes[youtube]
    lines = [
        frontmatter_block(site.video_title[youtube]),
        out.block(
            f'<p class="ng-kind">Video · {plural(len(moments), "moment")} '
            f"from {plural(len(notes), 'note')}</p>"
        ),
        out.block(player(site, video, uri)),
        "## Moments { #ng-moments }\n",
    ]
    items = []
    for seconds, _, note_id, sentence in sorted(moments):
        note = site.vault.notes[note_id]
        note_link = html_link(note.title, html_href(site, site.note_uri[note_id], uri))
        text = f" {html.escape(sentence, quote=False)}" if sentence else ""
        items.append(f"<li>{play_link(site, video, seconds, uri)}{text} · {note_link}</li>")
    lines.append(out.block('<ul class="ng-moments">' + "".join(items) + "</ul>"))
    return "\n".join(lines) + "\n"

"""From a vault folder to every generated page: the core pipeline, without MkDocs.

``build_site(root, options)`` reads the notes, resolves links, builds the graph and writes
the Markdown of every page into `Site.pages` (keyed by its path in the site's sources). An
adapter (the MkDocs plugin, or anything else) only has to hand those pages to a renderer.
"""

from __future__ import annotations

import posixpath
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import networkx as nx
from markdown.extensions.toc import slugify as toc_slugify

from .graph import graph_json
from .links import Links, link_vault, topic_node
from .names import Key, NoteId, SrcUri, fold, slug
from .notes import Slugify, Vault, load_vault, to_plain
from .pages import (
    frontmatter_block,
    listing_html,
    md_link,
    note_page,
    topic_page,
    video_page,
)
from .report import Report
from .video import Video, youtube_id

__all__ = ["Options", "Site", "build_site", "page_url"]

_VIDEO_HEADING = re.compile(
    r"^#{1,6}[ \t]*\[(?P<title>[^\]\n]+)\]\((?P<url>[^)\s]+)\)[ \t]*$", re.MULTILINE
)
SECTIONS = {
    "notes": "Notes",
    "topics": "Topics",
    "videos": "Videos",
    "tags": "Tags",
    "az": "A–Z",
}
"""Sections of the site, each with an index page (``videos/`` only when a note has a video)."""


@dataclass(frozen=True)
class Options:
    use_directory_urls: bool = True
    slugify: Slugify = toc_slugify
    existing: frozenset[str] = frozenset()
    """Source paths that already exist (hand-written pages); generated pages never take them."""
    site_name: str = "Notes"
    edit_url: str = ""
    """Base URL of the notes' sources for the "edit this note" link (`edit.edit_link`)."""


@dataclass
class Site:
    vault: Vault
    links: Links
    report: Report
    options: Options
    G: nx.DiGraph = field(default_factory=nx.DiGraph)
    note_uri: dict[NoteId, SrcUri] = field(default_factory=dict)
    topic_uri: dict[Key, SrcUri] = field(default_factory=dict)
    topic_title: dict[Key, str] = field(default_factory=dict)
    tag_uri: dict[Key, SrcUri] = field(default_factory=dict)
    tag_title: dict[Key, str] = field(default_factory=dict)
    attachment_uri: dict[str, SrcUri] = field(default_factory=dict)
    videos: dict[NoteId, Video] = field(default_factory=dict)
    """The video each note plays: YouTube, an http(s) file, or a file of the vault."""
    video_uri: dict[str, SrcUri] = field(default_factory=dict)
    """Page of each YouTube video, by id."""
    video_title: dict[str, str] = field(default_factory=dict)
    video_notes: dict[str, list[NoteId]] = field(default_factory=dict)
    pages: dict[SrcUri, str] = field(default_factory=dict)
    """Generated Markdown pages by source path."""
    files: dict[SrcUri, str] = field(default_factory=dict)
    """Generated data files (``graph.json``) by source path."""
    timings: dict[str, float] = field(default_factory=dict)

    @staticmethod
    def tag_key(tag: str) -> Key:
        return Key("/".join(fold(part) for part in tag.split("/")))

    def url(self, uri: str) -> str:
        return page_url(uri, self.options.use_directory_urls)

    def summary(self, seconds: float) -> str:
        return (
            f"{len(self.vault.notes)} notes, {self.links.resolved} links resolved, "
            f"{len(self.topic_uri)} topic pages, {self.report.count('warning')} warnings, "
            f"{seconds:.1f} s"
        )


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """Site-relative URL MkDocs gives a Markdown source.

    >>> page_url("notes/a.md"), page_url("notes/index.md"), page_url("index.md")
    ('notes/a/', 'notes/', '')
    >>> page_url("notes/a.md", False), page_url("notes/index.md", False)
    ('notes/a.html', 'notes/index.html')
    """
    stem = src_uri.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if posixpath.basename(stem) == "index":
        return stem[: -len("index")]
    return f"{stem}/"


class _Allocator:
    """Hands out collision-free source paths; the first claimant of a path keeps it."""

    def __init__(self, taken: Iterable[str]) -> None:
        self._taken = {t.casefold() for t in taken}

    def claim(self, folder: str, name: str) -> SrcUri:
        base = posixpath.join(folder, name)
        candidate, n = base, 1
        while f"{candidate}.md".casefold() in self._taken or name == "index" and n == 1:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(f"{candidate}.md".casefold())
        return SrcUri(f"{candidate}.md")


def _folder_uri(folder: str) -> str:
    parts = [slug(part, "folder") for part in PurePosixPath(folder).parts]
    return posixpath.join("notes", *parts)


def _allocate(site: Site) -> None:
    folders = {_folder_uri(n.folder) for n in site.vault.notes.values() if n.folder}
    allocator = _Allocator([*site.options.existing, *(f"{f}.md" for f in folders)])
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        site.note_uri[note_id] = allocator.claim(_folder_uri(note.folder), slug(note.stem))
    for attachment in site.vault.attachments:
        site.attachment_uri[attachment] = SrcUri(f"notes/{attachment}")
    for key in sorted(site.links.mentions):
        spellings = site.links.spellings[key]
        title = min(spellings, key=lambda s: (-spellings[s], s))
        site.topic_title[key] = title
        site.topic_uri[key] = allocator.claim("topics", slug(title, "topic"))
    _allocate_videos(site, allocator)
    tag_spellings: dict[Key, Counter[str]] = defaultdict(Counter)
    for note in site.vault.notes.values():
        for tag in note.tags:
            tag_spellings[site.tag_key(tag)][tag] += 1
    for key in sorted(tag_spellings):
        spellings = tag_spellings[key]
        title = min(spellings, key=lambda s: (-spellings[s], s))
        site.tag_title[key] = title
        parts = [slug(part, "tag") for part in title.split("/") if part]
        site.tag_uri[key] = allocator.claim(posixpath.join("tags", *parts[:-1]), parts[-1])


def _note_videos(site: Site) -> None:
    """Each note's playable video; a ``video:`` file missing from the vault is reported."""
    attachments = set(site.vault.attachments)
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        video = note.video
        if video is None:
            continue
        if video.src is not None and not video.src.startswith(("http://", "https://")):
            candidates = (posixpath.join(note.folder, video.src), video.src.lstrip("/"))
            found = next((p for p in map(posixpath.normpath, candidates) if p in attachments), None)
            if found is None:
                site.report.warn(
                    note_id,
                    f"video file '{video.src}' is not in the vault; the note gets no player "
                    "and its timestamps stay text",
                    line=note.video_line,
                    code="video",
                )
                continue
            video = Video(src=found)
        site.videos[note_id] = video


def _allocate_videos(site: Site, allocator: _Allocator) -> None:
    """A page per YouTube video, titled from a hub's ``### [Title](watch URL)`` heading."""
    titles: dict[str, str] = {}
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        assert note.masked is not None
        for match in _VIDEO_HEADING.finditer(note.masked.masked):
            youtube = youtube_id(match.group("url"))
            if youtube and youtube not in titles:
                titles[youtube] = to_plain(match.group("title")) or youtube
        if note.video is not None and note.video.youtube:
            site.video_notes.setdefault(note.video.youtube, []).append(note_id)
    for youtube in sorted(site.video_notes):
        notes = [site.vault.notes[n] for n in site.video_notes[youtube]]
        main = max(notes, key=lambda n: (len(n.stamps), n.id))
        site.video_title[youtube] = titles.get(youtube) or main.title
        site.video_uri[youtube] = allocator.claim("videos", slug(youtube, "video"))


def _build_graph(site: Site) -> None:
    G = site.G
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        G.add_node(
            note_id,
            title=note.title,
            kind="note",
            url=site.url(site.note_uri[note_id]),
            tags=list(note.tags),
            folder=note.folder,
        )
    for key in sorted(site.topic_uri):
        G.add_node(
            topic_node(key),
            title=site.topic_title[key],
            kind="topic",
            url=site.url(site.topic_uri[key]),
            tags=[],
            folder="",
        )
    for youtube in sorted(site.video_uri):
        G.add_node(
            f"video:{youtube}",
            title=site.video_title[youtube],
            kind="video",
            url=site.url(site.video_uri[youtube]),
            tags=[],
            folder="",
            video_id=youtube,
        )
        for note_id in site.video_notes[youtube]:
            seconds = sorted(
                {s.seconds for s in site.vault.notes[note_id].stamps if s.seconds is not None}
            )
            G.add_edge(
                note_id, f"video:{youtube}", count=len(seconds), moments=seconds, video=youtube
            )
    for (source, target), count in sorted(site.links.edges.items()):
        moments = sorted(site.links.moments.get((source, target), ()))
        attrs: dict[str, object] = {"moments": moments} if moments else {}
        video = site.videos.get(source)  # the moments are of the linking note's video
        if moments and video is not None and video.youtube:
            attrs["video"] = video.youtube
        G.add_edge(source, target, count=count, **attrs)


def _listing(site: Site, page_uri: SrcUri, entries: Iterable[tuple[str, str, str]]) -> str:
    """Links in a list; entries are (title, target source path, note after the link)."""
    return listing_html(site, page_uri, entries) + "\n"


def _index_pages(site: Site) -> None:
    notes = site.vault.notes
    # Folder pages: one per folder of the vault, the root one is the notes section.
    folders: dict[str, list[NoteId]] = defaultdict(list)
    names: dict[str, str] = {"notes": "All notes"}
    for note_id, note in notes.items():
        folders[_folder_uri(note.folder)].append(note_id)
        parts = PurePosixPath(note.folder).parts
        for depth in range(1, len(parts) + 1):
            uri = _folder_uri("/".join(parts[:depth]))
            folders.setdefault(uri, [])
            names.setdefault(uri, parts[depth - 1])
    folders.setdefault("notes", [])
    for folder in sorted(folders):
        page = SrcUri(f"{folder}/index.md")
        subfolders = [
            (names[f], f"{f}/index.md", f"{_count(folders, f)} notes")
            for f in folders
            if posixpath.dirname(f) == folder and f != folder
        ]
        entries = [(notes[n].title, site.note_uri[n], "") for n in folders[folder]]
        text = frontmatter_block(names[folder])
        if subfolders:
            text += "## Folders\n\n" + _listing(site, page, subfolders) + "\n"
            text += "## Notes\n\n" if entries else ""
        text += _listing(site, page, entries) if entries or not subfolders else ""
        site.pages[page] = text
    # Topics.
    page = SrcUri("topics/index.md")
    entries = [
        (site.topic_title[k], uri, f"{len(site.links.mentions[k])} mentions")
        for k, uri in site.topic_uri.items()
    ]
    site.pages[page] = (
        frontmatter_block("Topics")
        + "Concepts that notes link to but that have no note of their own. "
        "Each page gathers every mention.\n\n" + _listing(site, page, entries)
    )
    # Videos.
    if site.video_uri:
        page = SrcUri("videos/index.md")
        entries = [
            (site.video_title[v], uri, f"{len(site.video_notes[v])} notes")
            for v, uri in site.video_uri.items()
        ]
        site.pages[page] = (
            frontmatter_block("Videos")
            + "Every video the notes cite, each with all its moments in time order.\n\n"
            + _listing(site, page, entries)
        )
    # Tags.
    tagged: dict[Key, list[NoteId]] = defaultdict(list)
    for note_id, note in notes.items():
        for tag in note.tags:
            tagged[site.tag_key(tag)].append(note_id)
    page = SrcUri("tags/index.md")
    entries = [
        (f"#{site.tag_title[k]}", uri, f"{len(tagged[k])} notes") for k, uri in site.tag_uri.items()
    ]
    site.pages[page] = frontmatter_block("Tags") + _listing(site, page, entries)
    for key, uri in site.tag_uri.items():
        entries = [(notes[n].title, site.note_uri[n], "") for n in tagged[key]]
        site.pages[uri] = frontmatter_block(f"#{site.tag_title[key]}") + _listing(
            site, uri, entries
        )
    # A–Z: one page per initial, so that no page lists the whole vault.
    buckets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for note_id, note in notes.items():
        buckets[_initial(note.title)].append((note.title, site.note_uri[note_id], "note"))
    for key, uri in site.topic_uri.items():
        buckets[_initial(site.topic_title[key])].append((site.topic_title[key], uri, "topic"))
    page = SrcUri("az/index.md")
    letters = [
        (letter.upper(), f"az/{slug(letter, 'other')}.md", f"{len(buckets[letter])}")
        for letter in sorted(buckets)
    ]
    site.pages[page] = (
        frontmatter_block("A–Z")
        + " · ".join(
            md_link(f"{title} ({count})", posixpath.relpath(uri, "az"))
            for title, uri, count in letters
        )
        + "\n"
    )
    for letter, uri, _ in letters:
        site.pages[SrcUri(uri)] = frontmatter_block(f"A–Z: {letter}") + _listing(
            site, SrcUri(uri), buckets[letter.lower()]
        )


def _count(folders: dict[str, list[NoteId]], folder: str) -> int:
    return sum(len(v) for k, v in folders.items() if k == folder or k.startswith(folder + "/"))


def _initial(title: str) -> str:
    first = fold(title)[:1]
    if "a" <= first <= "z":
        return first
    return "0-9" if first.isdigit() else "other"


def _home(site: Site) -> None:
    if "index.md" in site.options.existing:
        return
    lines = [
        frontmatter_block(site.options.site_name),
        f"{len(site.vault.notes)} notes and {len(site.topic_uri)} topics.\n",
    ]
    lines += [
        f"- {md_link(title, f'{section}/index.md')}"
        for section, title in SECTIONS.items()
        if f"{section}/index.md" in site.pages
    ]
    site.pages[SrcUri("index.md")] = "\n".join(lines) + "\n"


def build_site(root: Path, options: Options | None = None, report: Report | None = None) -> Site:
    """Read the vault at `root` and generate every page of its site."""
    options = options or Options()
    report = report if report is not None else Report()
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[phase] = now - clock
        clock = now

    vault = load_vault(root, report, options.slugify)
    lap("parse")
    links = link_vault(vault, report)
    lap("resolve")
    site = Site(vault=vault, links=links, report=report, options=options, timings=timings)
    _note_videos(site)
    _allocate(site)
    _build_graph(site)
    site.files[SrcUri("graph.json")] = graph_json(site.G)
    lap("graph")
    for note_id in sorted(vault.notes):
        site.pages[site.note_uri[note_id]] = note_page(site, vault.notes[note_id])
    for key in sorted(site.topic_uri):
        site.pages[site.topic_uri[key]] = topic_page(site, key)
    for youtube in sorted(site.video_uri):
        site.pages[site.video_uri[youtube]] = video_page(site, youtube)
    _index_pages(site)
    _home(site)
    lap("pages")
    return site

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
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any

import networkx as nx

from notegraph.core.base import progress
from notegraph.core.base.guard import guarded, report_failure
from notegraph.core.base.memo import Memo, fingerprint
from notegraph.core.base.names import Key, NoteId, SrcUri, fold, machine_name, readable, slug
from notegraph.core.base.report import Report, plural
from notegraph.core.checks.rules import apply_rules
from notegraph.core.graph.export import graph_json
from notegraph.core.linker.links import Links, link_vault, names_fingerprint, topic_node
from notegraph.core.site.fragments import Fragments, fill, with_fragments
from notegraph.core.site.home import home_page
from notegraph.core.site.pages import (
    fallback_html,
    frontmatter_block,
    listing_html,
    md_link,
    note_page,
    topic_page,
    video_page,
)
from notegraph.core.vault import anchors
from notegraph.core.vault.notes import Note, Slugify, Vault, load_vault, to_plain
from notegraph.core.vault.sanitize import sanitize
from notegraph.core.vault.video import Video, youtube_id

__all__ = ["Options", "Site", "PageWriter", "build_site", "page_url", "topic_title"]

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


_FALLBACK_OUTCOME = "the page shows the note's text as plain text"

PageWriter = Callable[[Fragments, SrcUri], str]
"""Writes the Markdown of the page at a source path, its raw HTML into the fragments."""


@dataclass(frozen=True)
class Options:
    use_directory_urls: bool = True
    slugify: Slugify = anchors.slugify
    existing: frozenset[str] = frozenset()
    """Source paths that already exist (hand-written pages); generated pages never take them."""
    site_name: str = "Notes"
    workers: int = 1
    """Processes that parse and link the notes (`parallel.map_forked`); 1 where threads run."""
    edit_url: str = ""
    """Base URL of the notes' sources for the "edit this note" link (`edit.edit_link`)."""
    require_title: bool = False
    """Report notes without a ``title`` in their frontmatter (`rules.apply_rules`)."""
    home_search: bool = True
    """Whether the generated home page offers a search box (the theme answers ``?q=``)."""


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
    pages: dict[SrcUri, PageWriter] = field(default_factory=dict)
    """Every generated page, by source path: what writes its Markdown (see `render`)."""
    memo: Memo | None = None
    """Results kept between builds (live preview): see `put`."""
    depends: dict[SrcUri, tuple[Hashable, Any]] = field(default_factory=dict)
    """For pages a memo may keep: (what the page depends on, its notes) — see `Memo.get`."""
    files: dict[SrcUri, str] = field(default_factory=dict)
    """Generated data files (``graph.json``) by source path."""
    sources: dict[SrcUri, NoteId] = field(default_factory=dict)
    """The note a page is written from (a topic's or a video's first note): where a failure
    writing or rendering the page is reported."""
    timings: dict[str, float] = field(default_factory=dict)
    graph_svg: str = ""
    """A small drawing of the concept graph for the home page (`home.graph_svg`), set by
    whoever lays the graph out (the plugin), before pages are rendered."""

    def put(
        self, uri: SrcUri, write: PageWriter, depends: tuple[Hashable, Any] | None = None
    ) -> None:
        """Add the page at `uri`; `write` returns its Markdown when it is rendered.

        `depends` is (a key of everything the page is written from, the notes among that):
        with a memo, the next build gives back the same Markdown for the same key and notes.
        """
        self.pages[uri] = write
        if depends is not None:
            self.depends[uri] = depends

    def render(self, uri: SrcUri) -> tuple[str, list[str]]:
        """The Markdown of a generated page and its raw HTML fragments (`fragments.fill`).

        Pages are written when they are needed, not all at once: at 20,000 notes their
        Markdown would take a few hundred megabytes, and a renderer with several processes
        writes each page in the process that renders it.
        """

        def write() -> tuple[str, list[str]]:
            return guarded(
                self.report,
                self.sources.get(uri, uri),
                f"write the page {uri}",
                lambda: with_fragments(lambda out: self.pages[uri](out, uri)),
                lambda: with_fragments(lambda out: self._fallback_page(uri, out)),
                outcome=_FALLBACK_OUTCOME,
            )

        if self.memo is None or uri not in self.depends:
            return write()
        key, anchor = self.depends[uri]
        return self.memo.get(("page", uri, key), anchor, write)

    def _own_note(self, uri: SrcUri) -> Note | None:
        """The note whose page is at `uri`, if it is a note's page."""
        note = self.vault.notes.get(self.sources.get(uri, NoteId("")))
        return note if note is not None and self.note_uri.get(note.id) == uri else None

    def _fallback_html(self, uri: SrcUri) -> str:
        note = self._own_note(uri)
        return fallback_html(note.body if note is not None else None)

    def _fallback_page(self, uri: SrcUri, out: Fragments) -> str:
        note = self._own_note(uri)
        title = note.title if note is not None else posixpath.basename(uri).removesuffix(".md")
        return frontmatter_block(title) + out.block(self._fallback_html(uri))

    def page_html(
        self, uri: SrcUri, rendered: str, pieces: Sequence[str], failures: Sequence[str] = ()
    ) -> str:
        """A generated page's HTML once Markdown rendered it: sanitized, its raw HTML put
        back. If rendering failed (`failures`: `guard.render_failures`), or sanitizing
        fails, the page's safe form (`pages.fallback_html`); either is reported."""
        source = self.sources.get(uri, uri)
        for failure in failures:
            report_failure(
                self.report, source, f"render the page {uri}", failure, outcome=_FALLBACK_OUTCOME
            )
        if failures:
            return self._fallback_html(uri)
        return guarded(
            self.report,
            source,
            f"sanitize the page {uri}",
            lambda: fill(sanitize(rendered), pieces),
            lambda: self._fallback_html(uri),
            outcome=_FALLBACK_OUTCOME,
        )

    def page_text(self, uri: SrcUri) -> str:
        """The Markdown of a generated page with its raw HTML back in place."""
        return fill(*self.render(uri))

    @staticmethod
    def tag_key(tag: str) -> Key:
        return Key("/".join(fold(part) for part in tag.split("/")))

    def url(self, uri: str) -> str:
        return page_url(uri, self.options.use_directory_urls)

    def summary(self) -> str:
        """What was built: ``1,026 notes, 7,904 links resolved, 315 topic pages``."""
        return (
            f"{plural(len(self.vault.notes), 'note')}, "
            f"{plural(self.links.resolved, 'link')} resolved, "
            f"{plural(len(self.topic_uri), 'topic page')}"
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
    """Hands out collision-free paths in the site's sources; the first claimant keeps a path.

    A page claims its source and the file MkDocs writes for it, an attachment its own path,
    all case-folded (a site may be written on a case-insensitive disk): no page or file
    overwrites another.

    >>> allocator = _Allocator(["notes/a.md"], use_directory_urls=True)
    >>> allocator.claim("notes", "a"), allocator.claim_file("notes/a/index.html")
    ('notes/a-2.md', 'notes/a/index-2.html')
    >>> allocator.claim_file("notes/A/INDEX-2.html"), allocator.claim_file("notes/b.png")
    ('notes/A/INDEX-2-2.html', 'notes/b.png')
    """

    def __init__(self, taken: Iterable[str], use_directory_urls: bool = True) -> None:
        self._use_directory_urls = use_directory_urls
        self._taken: set[str] = set()
        for path in taken:
            self._take(path)

    def _written(self, path: str) -> list[str]:
        """`path` and, for a page, the file MkDocs writes for it, case-folded."""
        if not path.endswith(".md"):
            return [path.casefold()]
        url = page_url(path, self._use_directory_urls)
        output = url + "index.html" if url == "" or url.endswith("/") else url
        return [path.casefold(), output.casefold()]

    def _free(self, path: str) -> bool:
        return not any(written in self._taken for written in self._written(path))

    def _take(self, path: str) -> None:
        self._taken.update(self._written(path))

    def claim(self, folder: str, name: str) -> SrcUri:
        """A page's source path: ``folder/name.md``, else ``folder/name-2.md``..."""
        base = posixpath.join(folder, name)
        candidate, n = base, 1
        while not self._free(f"{candidate}.md") or name == "index" and n == 1:
            n += 1
            candidate = f"{base}-{n}"
        self._take(f"{candidate}.md")
        return SrcUri(f"{candidate}.md")

    def claim_file(self, path: str) -> SrcUri:
        """A file's path: `path`, else ``name-2.ext``... in the same folder."""
        stem, ext = posixpath.splitext(path)
        candidate, n = path, 1
        while not self._free(candidate):
            n += 1
            candidate = f"{stem}-{n}{ext}"
        self._take(candidate)
        return SrcUri(candidate)


def _folder_uri(folder: str) -> str:
    parts = [slug(part, "folder") for part in PurePosixPath(folder).parts]
    return posixpath.join("notes", *parts)


def _allocate(site: Site) -> None:
    folders = {_folder_uri(n.folder) for n in site.vault.notes.values() if n.folder}
    allocator = _Allocator(
        [
            *site.options.existing,
            *(f"{f}.md" for f in folders),
            *(f"{f}/index.md" for f in {"notes", *folders}),
        ],
        site.options.use_directory_urls,
    )
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        site.note_uri[note_id] = allocator.claim(_folder_uri(note.folder), slug(note.stem))
    for attachment in sorted(site.vault.attachments):
        wanted = f"notes/{attachment}"
        site.attachment_uri[attachment] = uri = allocator.claim_file(wanted)
        if uri != wanted:
            site.report.warn(
                attachment,
                f"{wanted} is already a page or file of the site; the attachment is "
                f"published as {uri}",
                code="attachment",
            )
    human = _human_spellings(site)
    for key in sorted(site.links.mentions):
        title = topic_title(site.links.spellings[key], human.get(key, Counter()))
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


def topic_title(spellings: Counter[str], human: Counter[str]) -> str:
    """The title of a topic: its most frequent human spelling (opening with a capital when
    it is all lower case), else its most frequent spelling made readable (`names.readable`).
    Ties go to the first in code-point order, so that the same vault always gives the same
    title.

    `spellings` counts the link targets as written; `human` counts the spellings a reader
    wrote: targets that are no machine name and aliases that name the topic itself
    (``[[angel_investing|Angel investing]]``).

    >>> topic_title(Counter({"angel_investing": 3}), Counter({"Angel investing": 1}))
    'Angel investing'
    >>> topic_title(Counter({"ai_in_product": 2, "ai-in-product": 1}), Counter())
    'Ai in product'
    >>> topic_title(Counter({"nowhere concept": 2, "Nowhere Concept": 1}), Counter())
    'Nowhere concept'
    >>> topic_title(Counter({"iPhone apps": 1}), Counter())  # a title, like a sentence, opens
    'iPhone apps'
    """
    written = Counter({s: n for s, n in spellings.items() if not machine_name(s)})
    written.update(human)
    if written:
        title = min(written, key=lambda s: (-written[s], s))
        return title[:1].upper() + title[1:] if title == title.lower() else title
    return readable(min(spellings, key=lambda s: (-spellings[s], s)))


def _human_spellings(site: Site) -> dict[Key, Counter[str]]:
    """Aliases that spell a topic's own name, per topic (see `topic_title`)."""
    found: dict[Key, Counter[str]] = defaultdict(Counter)
    for note_id in sorted(site.vault.notes):
        note = site.vault.notes[note_id]
        for link in note.links:
            if not link.alias or link.markdown:
                continue
            topic = site.links.targets[(note_id, link.start)].resolution.topic
            alias = to_plain(link.alias).strip() if topic is not None else ""
            if alias and fold(alias) == topic and not machine_name(alias):
                found[topic][alias] += 1
    return found


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
        subfolders = [
            (names[f], f"{f}/index.md", plural(_count(folders, f), "note"))
            for f in folders
            if posixpath.dirname(f) == folder and f != folder
        ]
        entries = [(notes[n].title, site.note_uri[n], "") for n in folders[folder]]
        site.put(
            SrcUri(f"{folder}/index.md"), _folder_page(site, names[folder], subfolders, entries)
        )
    # Topics.
    topics = [
        (site.topic_title[k], uri, plural(len(site.links.mentions[k]), "mention"))
        for k, uri in site.topic_uri.items()
    ]
    if topics:  # a section with nothing in it is no section: no tab, no empty page
        site.put(
            SrcUri("topics/index.md"),
            _list_page(
                site,
                "Topics",
                "Concepts that notes link to but that have no note of their own. "
                "Each page gathers every mention.",
                topics,
            ),
        )
    # Videos.
    videos = [
        (site.video_title[v], uri, plural(len(site.video_notes[v]), "note"))
        for v, uri in site.video_uri.items()
    ]
    if videos:
        site.put(
            SrcUri("videos/index.md"),
            _list_page(
                site,
                "Videos",
                "Every video the notes cite, each with all its moments in time order.",
                videos,
            ),
        )
    # Tags.
    tagged: dict[Key, list[NoteId]] = defaultdict(list)
    for note_id, note in notes.items():
        for tag in note.tags:
            tagged[site.tag_key(tag)].append(note_id)
    tags = [
        (f"#{site.tag_title[k]}", uri, plural(len(tagged[k]), "note"))
        for k, uri in site.tag_uri.items()
    ]
    if tags:
        site.put(SrcUri("tags/index.md"), _list_page(site, "Tags", "", tags))
    for key, uri in site.tag_uri.items():
        entries = [(notes[n].title, site.note_uri[n], "") for n in tagged[key]]
        site.put(uri, _list_page(site, f"#{site.tag_title[key]}", "", entries))
    # A–Z: one page per initial, so that no page lists the whole vault.
    buckets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for note_id, note in notes.items():
        buckets[_initial(note.title)].append((note.title, site.note_uri[note_id], "note"))
    for key, uri in site.topic_uri.items():
        buckets[_initial(site.topic_title[key])].append((site.topic_title[key], uri, "topic"))
    letters = [
        (letter.upper(), f"az/{slug(letter, 'other')}.md", f"{len(buckets[letter])}")
        for letter in sorted(buckets)
    ]
    initials = frontmatter_block("A–Z") + " · ".join(
        md_link(f"{title} ({count})", posixpath.relpath(uri, "az")) for title, uri, count in letters
    )
    site.put(SrcUri("az/index.md"), lambda out, page: initials + "\n")
    for letter, uri, _ in letters:
        site.put(SrcUri(uri), _list_page(site, f"A–Z: {letter}", "", buckets[letter.lower()]))


Entries = Sequence[tuple[str, str, str]]
"""Entries of a listing: (title, target source path, text after the link)."""


def _list_page(site: Site, title: str, intro: str, entries: Entries) -> PageWriter:
    def write(out: Fragments, page: SrcUri) -> str:
        text = frontmatter_block(title) + (intro + "\n" if intro else "")
        return text + out.block(listing_html(site, page, entries))

    return write


def _folder_page(site: Site, title: str, subfolders: Entries, entries: Entries) -> PageWriter:
    def write(out: Fragments, page: SrcUri) -> str:
        text = frontmatter_block(title)
        if subfolders:
            text += "## Folders\n" + out.block(listing_html(site, page, subfolders))
            text += "## Notes\n" if entries else ""
        if entries or not subfolders:
            text += out.block(listing_html(site, page, entries))
        return text

    return write


def _note_writer(site: Site, note: Note, out: Fragments, page: SrcUri) -> str:
    return note_page(site, note, out)


def _topic_writer(site: Site, key: Key, out: Fragments, page: SrcUri) -> str:
    return topic_page(site, key, out)


def _video_writer(site: Site, youtube: str, out: Fragments, page: SrcUri) -> str:
    return video_page(site, youtube, out)


def _count(folders: dict[str, list[NoteId]], folder: str) -> int:
    return sum(len(v) for k, v in folders.items() if k == folder or k.startswith(folder + "/"))


def _initial(title: str) -> str:
    first = fold(title)[:1]
    if "a" <= first <= "z":
        return first
    return "0-9" if first.isdigit() else "other"


def _home(site: Site) -> None:
    """The home page (`home.home_page`), unless the site has its own ``index.md``."""
    if "index.md" in site.options.existing:
        return
    site.put(SrcUri("index.md"), lambda out, page: home_page(site, out, site.options.home_search))


def _common_fingerprint(site: Site) -> str:
    """What every page may depend on besides its own notes: names, addresses, options."""
    notes = site.vault.notes
    return fingerprint(
        [
            names_fingerprint(site.vault),
            [[n, note.tags, site.videos.get(n)] for n, note in notes.items()],
            site.note_uri,
            site.topic_uri,
            site.topic_title,
            site.tag_uri,
            site.tag_title,
            site.attachment_uri,
            site.video_uri,
            site.video_title,
            repr(site.options),
        ]
    )


def build_site(
    root: Path,
    options: Options | None = None,
    report: Report | None = None,
    memo: Memo | None = None,
) -> Site:
    """Read the vault at `root` and generate every page of its site.

    A `memo` (live preview) keeps what the next build can reuse: the links of unchanged
    notes, the pages whose inputs did not change.
    """
    options = options or Options()
    report = report if report is not None else Report()
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(phase: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[phase] = now - clock
        clock = now

    with progress.phase("read", "note"):
        vault = load_vault(root, report, options.slugify, options.workers)
    lap("parse")
    with progress.phase("link", "note", total=len(vault.notes)):
        links = link_vault(vault, report, memo, options.workers)
    lap("resolve")
    apply_rules(vault, links, report, require_title=options.require_title)
    lap("rules")
    site = Site(
        vault=vault, links=links, report=report, options=options, timings=timings, memo=memo
    )
    _note_videos(site)
    _allocate(site)
    _build_graph(site)
    site.files[SrcUri("graph.json")] = graph_json(site.G)
    lap("graph")
    common = _common_fingerprint(site) if memo is not None else ""
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        embeds = any(link.embed and not link.markdown for link in note.links)
        depends = (common, tuple(links.backlinks.get(note_id, ())))
        site.put(
            site.note_uri[note_id],
            partial(_note_writer, site, note),
            None if embeds else (depends, note),  # embeds read other notes: always written
        )
        site.sources[site.note_uri[note_id]] = note_id
    for key in sorted(site.topic_uri):
        mentions = (common, tuple(links.mentions[key]), tuple(sorted(links.spellings[key])))
        site.put(site.topic_uri[key], partial(_topic_writer, site, key), (mentions, None))
        site.sources[site.topic_uri[key]] = min(m.source for m in links.mentions[key])
    for youtube in sorted(site.video_uri):
        notes = tuple(vault.notes[n] for n in site.video_notes[youtube])
        site.put(site.video_uri[youtube], partial(_video_writer, site, youtube), (common, notes))
        site.sources[site.video_uri[youtube]] = site.video_notes[youtube][0]
    _index_pages(site)
    _home(site)
    lap("pages")
    return site

"""Stage 6, the pages: every generated page of the site, written when it is rendered.

`write_pages(site, graph)` gives `Pages`: for each page's source path, what writes its
Markdown (notes, topics, videos, folders, tags, the A–Z index, the home page, the graph
page), and the site's data files (``graph.json``). A renderer (the MkDocs plugin, or
anything else) asks `Pages.render` for a page's Markdown and hands what it rendered back to
`Pages.page_html`, which sanitizes it and puts its raw HTML back.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import PurePosixPath
from typing import Any

from notegraph.core.base.guard import guarded, report_failure
from notegraph.core.base.memo import Memo, fingerprint
from notegraph.core.base.names import Key, NoteId, SrcUri, fold, slug
from notegraph.core.base.report import plural
from notegraph.core.base.urls import md_href
from notegraph.core.graph.view import GRAPH_DATA, GRAPH_PAGE, ViewedGraph
from notegraph.core.linker.links import Mention, names_fingerprint
from notegraph.core.pages.fragments import Fragments, fill, with_fragments
from notegraph.core.pages.home import home_page
from notegraph.core.pages.pages import (
    fallback_html,
    frontmatter_block,
    link_place,
    listing_html,
    md_link,
    note_page,
    topic_page,
    video_page,
)
from notegraph.core.pages.site import Site
from notegraph.core.sitemap.sitemap import Options, folder_uri, tag_key
from notegraph.core.vault.excerpt import link_offsets
from notegraph.core.vault.notes import Note
from notegraph.core.vault.parsecache import slugify_key
from notegraph.core.vault.sanitize import sanitize
from notegraph.core.vault.video import Video

__all__ = ["Pages", "PageWriter", "write_pages"]

_FALLBACK_OUTCOME = "the page shows the note's text as plain text"

PageWriter = Callable[[Fragments, SrcUri], str]
"""Writes the Markdown of the page at a source path, its raw HTML into the fragments."""


@dataclass(frozen=True)
class Pages:
    """Every generated page, by source path, and the site's data files."""

    site: Site
    writers: Mapping[SrcUri, PageWriter]
    """What writes each page's Markdown (see `render`)."""
    depends: Mapping[SrcUri, tuple[Hashable, Any]]
    """For pages a memo may keep: (what the page depends on, its notes) — see `Memo.get`."""
    files: Mapping[SrcUri, bytes]
    """Generated data files (``graph.json``) by source path, in UTF-8: JSON of 20,000
    titles as `str` takes 4 bytes a character once one title holds an emoji."""
    memo: Memo | None = None
    """Results kept between builds (live preview)."""
    inputs: Mapping[SrcUri, Callable[[], Any]] = field(default_factory=dict)
    """For pages whose inputs are known (those `depends` covers): what they are, as data
    that holds the same across builds and processes (see `input_key`)."""

    @cached_property
    def _common(self) -> str:
        return fingerprint(_options_key(self.site.options))

    def input_key(self, uri: SrcUri) -> str:
        """A digest of everything the page's Markdown is written from, the same in every
        build of the same inputs (an incremental build skips writing a page whose inputs
        did not change); "" when the page's inputs are not known: only its Markdown tells.
        """
        make = self.inputs.get(uri)
        value = make() if make is not None else None
        return "" if value is None else fingerprint([self._common, value])

    def __iter__(self) -> Iterator[SrcUri]:
        return iter(self.writers)

    def __contains__(self, uri: object) -> bool:
        return uri in self.writers

    def __len__(self) -> int:
        return len(self.writers)

    def render(self, uri: SrcUri) -> tuple[str, list[str]]:
        """The Markdown of a generated page and its raw HTML fragments (`fragments.fill`).

        Pages are written when they are needed, not all at once: at 20,000 notes their
        Markdown would take a few hundred megabytes, and a renderer with several processes
        writes each page in the process that renders it. With a memo, a page whose inputs
        did not change since the last build is given back as it was.
        """
        site = self.site

        def write() -> tuple[str, list[str]]:
            return guarded(
                site.report,
                site.map.sources.get(uri, uri),
                f"write the page {uri}",
                lambda: with_fragments(lambda out: self.writers[uri](out, uri)),
                lambda: with_fragments(lambda out: self._fallback_page(uri, out)),
                outcome=_FALLBACK_OUTCOME,
            )

        if self.memo is None or uri not in self.depends:
            return write()
        key, anchor = self.depends[uri]
        return self.memo.get(("page", uri, key), anchor, write)

    def _own_note(self, uri: SrcUri) -> Note | None:
        """The note whose page is at `uri`, if it is a note's page."""
        site = self.site
        note = site.vault.notes.get(site.map.sources.get(uri, NoteId("")))
        return note if note is not None and site.map.note_uri.get(note.id) == uri else None

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
        report = self.site.report
        source = self.site.map.sources.get(uri, uri)
        for failure in failures:
            report_failure(
                report, source, f"render the page {uri}", failure, outcome=_FALLBACK_OUTCOME
            )
        if failures:
            return self._fallback_html(uri)
        return guarded(
            report,
            source,
            f"sanitize the page {uri}",
            lambda: fill(sanitize(rendered), pieces),
            lambda: self._fallback_html(uri),
            outcome=_FALLBACK_OUTCOME,
        )

    def page_text(self, uri: SrcUri) -> str:
        """The Markdown of a generated page with its raw HTML back in place."""
        return fill(*self.render(uri))


class _Writers:
    """The pages being written: `put` adds one (stage 6 only; `Pages` is what it gives)."""

    def __init__(self) -> None:
        self.writers: dict[SrcUri, PageWriter] = {}
        self.depends: dict[SrcUri, tuple[Hashable, Any]] = {}

    def put(
        self, uri: SrcUri, write: PageWriter, depends: tuple[Hashable, Any] | None = None
    ) -> None:
        """Add the page at `uri`; `write` returns its Markdown when it is rendered.

        `depends` is (a key of everything the page is written from, the notes among that):
        with a memo, the next build gives back the same Markdown for the same key and notes.
        """
        self.writers[uri] = write
        if depends is not None:
            self.depends[uri] = depends


def write_pages(
    site: Site, graph_data: bytes, graph: ViewedGraph | None = None, memo: Memo | None = None
) -> Pages:
    """Every page of the site and its data files: ``graph.json`` (`graph_data`) and, with
    a graph page (`graph`), its page and data."""
    vault, links, smap = site.vault, site.links, site.map
    out = _Writers()
    # What a page depends on is kept only for a memo: copies of every backlink and mention.
    keep = memo is not None
    common = _common_fingerprint(site) if keep else ""
    inputs: dict[SrcUri, Callable[[], Any]] = {}
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        embeds = any(link.embed and not link.markdown for link in note.links)
        depends: tuple[Hashable, Any] | None = None
        if keep and not embeds:  # embeds read other notes: always written
            depends = ((common, tuple(links.backlinks.get(note_id, ()))), note)
        uri = smap.note_uri[note_id]
        out.put(uri, partial(_note_writer, site, note), depends)
        if not embeds:
            inputs[uri] = partial(_note_inputs, site, note_id)
    for key in sorted(smap.topic_uri):
        depends = None
        if keep:
            mentions = tuple(links.mentions[key]), tuple(sorted(links.spellings[key]))
            depends = ((common, *mentions), None)
        out.put(smap.topic_uri[key], partial(_topic_writer, site, key), depends)
        inputs[smap.topic_uri[key]] = partial(_topic_inputs, site, key)
    for youtube in sorted(smap.video_uri):
        depends = None
        if keep:
            depends = (common, tuple(vault.notes[n] for n in smap.video_notes[youtube]))
        out.put(smap.video_uri[youtube], partial(_video_writer, site, youtube), depends)
        inputs[smap.video_uri[youtube]] = partial(_video_inputs, site, youtube)
    _index_pages(site, out)
    if "index.md" not in site.options.existing:  # the home page (`home.home_page`)
        search = site.options.home_search
        out.put(SrcUri("index.md"), lambda fragments, _: home_page(site, fragments, search))
    files = {SrcUri("graph.json"): graph_data}
    if graph is not None and graph.page:
        markdown = graph.page
        out.put(SrcUri(GRAPH_PAGE), lambda _, uri: markdown)
        files[SrcUri(GRAPH_DATA)] = graph.data
    return Pages(site, out.writers, out.depends, files, memo, inputs)


# What a page is written from, besides the build's options: the same as its `depends`, with
# each note as the digest of its text (`Vault.digests`), and what the page reads of other
# notes and of the site map (`_links_read`, `_mentions_read`, `_video_read`), not every name
# of the vault: renaming a note, or giving one a title, an alias, a heading or a tag, changes
# the inputs of the pages that show it, not of every page. None when one is not known.


def _note_inputs(site: Site, note_id: NoteId) -> Any:
    digest = site.vault.digests.get(note_id)
    if not digest:
        return None
    note = site.vault.notes[note_id]
    return [
        "note",
        note_id,
        digest,
        note_id in site.links.failed,
        _video_read(site, site.map.videos.get(note_id)),
        [site.map.tag_uri.get(tag_key(tag)) for tag in note.tags],
        _links_read(site, note_id),
        _mentions_read(site, site.links.backlinks.get(note_id, [])),
    ]


def _topic_inputs(site: Site, key: Key) -> Any:
    spellings = sorted(site.links.spellings[key].items())
    mentions = site.links.mentions[key]
    title = site.map.topic_title[key]
    return ["topic", key, title, spellings, _mentions_read(site, mentions)]


def _video_inputs(site: Site, youtube: str) -> Any:
    cited = site.map.video_notes[youtube]
    digests = [site.vault.digests.get(n) for n in cited]
    if None in digests:
        return None
    notes, note_uri = site.vault.notes, site.map.note_uri
    read = [
        [n, digest, notes[n].title, note_uri[n], _links_read(site, n)]
        for n, digest in zip(cited, digests, strict=True)
    ]
    return ["video", youtube, site.map.video_title[youtube], read]


def _links_read(site: Site, note_id: NoteId) -> list[Any]:
    """Where each link of a note goes and what it shows (a topic written as a file name
    shows the topic's title)."""
    place = link_place(site, note_id)
    targets, titles = site.links.targets, site.map.topic_title
    read: list[Any] = []
    for link in site.vault.notes[note_id].links:
        target = targets.get((note_id, link.start))
        topic = target.resolution.topic if target is not None else None
        read.append([target, place(link.start), titles.get(topic) if topic is not None else None])
    return read


def _mentions_read(site: Site, mentions: Sequence[Mention]) -> list[Any]:
    """Mentions as a page lists them (`pages.mentions_list`): each with where the links of
    its sentence go, under its note's title, address and video."""
    notes, note_uri, videos = site.vault.notes, site.map.note_uri, site.map.videos
    sources: dict[NoteId, list[Any]] = {}
    places = {}
    for mention in mentions:
        source = mention.source
        if source not in sources:
            read = _video_read(site, videos.get(source))
            sources[source] = [source, notes[source].title, note_uri[source], read]
            places[source] = link_place(site, source)
        place = places[source]
        sources[source].append([mention, [place(at) for at in link_offsets(mention.context)]])
    return list(sources.values())


def _video_read(site: Site, video: Video | None) -> Any:
    """What a page shows of a note's video: its page, its title, its file's address."""
    if video is None:
        return None
    youtube, src = video.youtube, video.src
    return [
        video,
        site.map.video_uri.get(youtube) if youtube else None,
        site.map.video_title.get(youtube) if youtube else None,
        site.map.attachment_uri.get(src) if src else None,
    ]


def _index_pages(site: Site, out: _Writers) -> None:
    notes = site.vault.notes
    # Folder pages: one per folder of the vault, the root one is the notes section.
    folders: dict[str, list[NoteId]] = defaultdict(list)
    names: dict[str, str] = {"notes": "All notes"}
    for note_id, note in notes.items():
        folders[folder_uri(note.folder)].append(note_id)
        parts = PurePosixPath(note.folder).parts
        for depth in range(1, len(parts) + 1):
            uri = folder_uri("/".join(parts[:depth]))
            folders.setdefault(uri, [])
            names.setdefault(uri, parts[depth - 1])
    folders.setdefault("notes", [])
    for folder in sorted(folders):
        subfolders = [
            (names[f], f"{f}/index.md", plural(_count(folders, f), "note"))
            for f in folders
            if posixpath.dirname(f) == folder and f != folder
        ]
        entries = [(notes[n].title, site.map.note_uri[n], "") for n in folders[folder]]
        out.put(
            SrcUri(f"{folder}/index.md"), _folder_page(site, names[folder], subfolders, entries)
        )
    # Topics.
    topics = [
        (site.map.topic_title[k], uri, plural(len(site.links.mentions[k]), "mention"))
        for k, uri in site.map.topic_uri.items()
    ]
    if topics:  # a section with nothing in it is no section: no tab, no empty page
        out.put(
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
        (site.map.video_title[v], uri, plural(len(site.map.video_notes[v]), "note"))
        for v, uri in site.map.video_uri.items()
    ]
    if videos:
        out.put(
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
            tagged[tag_key(tag)].append(note_id)
    tags = [
        (f"#{site.map.tag_title[k]}", uri, plural(len(tagged[k]), "note"))
        for k, uri in site.map.tag_uri.items()
    ]
    if tags:
        out.put(SrcUri("tags/index.md"), _list_page(site, "Tags", "", tags))
    for key, uri in site.map.tag_uri.items():
        entries = [(notes[n].title, site.map.note_uri[n], "") for n in tagged[key]]
        out.put(uri, _list_page(site, f"#{site.map.tag_title[key]}", "", entries))
    # A–Z: one page per initial, so that no page lists the whole vault.
    buckets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for note_id, note in notes.items():
        buckets[_initial(note.title)].append((note.title, site.map.note_uri[note_id], "note"))
    for key, uri in site.map.topic_uri.items():
        title = site.map.topic_title[key]
        buckets[_initial(title)].append((title, uri, "topic"))
    letters = [
        (letter.upper(), f"az/{slug(letter, 'other')}.md", f"{len(buckets[letter])}")
        for letter in sorted(buckets)
    ]
    initials = frontmatter_block("A–Z") + " · ".join(
        md_link(f"{title} ({count})", md_href(uri, "az/index.md")) for title, uri, count in letters
    )
    out.put(SrcUri("az/index.md"), lambda out, page: initials + "\n")
    for letter, uri, _ in letters:
        out.put(SrcUri(uri), _list_page(site, f"A–Z: {letter}", "", buckets[letter.lower()]))


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


def _common_fingerprint(site: Site) -> str:
    """What every page may depend on besides its own notes: names, addresses, options."""
    notes = site.vault.notes
    return fingerprint(
        [
            names_fingerprint(site.vault),
            [[n, note.tags, site.map.videos.get(n)] for n, note in notes.items()],
            site.map.note_uri,
            site.map.topic_uri,
            site.map.topic_title,
            site.map.tag_uri,
            site.map.tag_title,
            site.map.attachment_uri,
            site.map.video_uri,
            site.map.video_title,
            _options_key(site.options),
        ]
    )


CACHE_OPTIONS = frozenset({"cache_dir", "reuse_cache"})
"""Options that say where a build keeps its caches and whether it reads them: no page
depends on them (a clean build's pages are an incremental build's)."""


def _options_key(options: Options) -> list[Any]:
    """The build's options as data that holds across processes (its sets sorted, its
    slugify function named: `parsecache.slugify_key`)."""
    plain: list[Any] = []
    for option in dataclasses.fields(options):
        if option.name in CACHE_OPTIONS:
            continue
        value = getattr(options, option.name)
        if isinstance(value, set | frozenset):
            value = sorted(value)
        elif callable(value):
            value = repr(slugify_key(value))
        plain.append([option.name, value])
    return plain

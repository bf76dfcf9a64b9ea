"""Stage 4, the site map: where every page of the site goes, and what each is called.

`plan_site(vault, links, options, report)` gives every note, topic, tag, video and attachment
its path in the site's sources, collision-free (`_Allocator`), and the titles of the pages
that have no note of their own (topics, tags, videos). Pages and the graph are written from
the `SiteMap`; nothing changes it afterwards.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from notegraph.core.base.names import Key, NoteId, SrcUri, fold, machine_name, readable, slug
from notegraph.core.base.report import Report
from notegraph.core.base.urls import SiteUrl, page_url
from notegraph.core.linker.links import Links
from notegraph.core.vault import anchors
from notegraph.core.vault.notes import Slugify, Vault, to_plain
from notegraph.core.vault.video import Video, youtube_id

__all__ = ["Options", "SiteMap", "plan_site", "topic_title", "tag_key", "folder_uri"]

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
    cache_dir: Path | None = None
    """A folder that keeps what the build made of each note for the next build: the notes
    parsed (``parses/``), linked (``links/``) and checked (``checks/``), each a
    `notestore.NoteStore`."""
    reuse_cache: bool = True
    """Whether to take notes from `cache_dir` (False: make them all and write it anew)."""


@dataclass(frozen=True)
class SiteMap:
    """Where each page goes (paths in the site's sources) and the titles of generated pages."""

    options: Options
    note_uri: Mapping[NoteId, SrcUri]
    topic_uri: Mapping[Key, SrcUri]
    topic_title: Mapping[Key, str]
    tag_uri: Mapping[Key, SrcUri]
    tag_title: Mapping[Key, str]
    attachment_uri: Mapping[str, SrcUri]
    videos: Mapping[NoteId, Video]
    """The video each note plays: YouTube, an http(s) file, or a file of the vault."""
    video_uri: Mapping[str, SrcUri]
    """Page of each YouTube video, by id."""
    video_title: Mapping[str, str]
    video_notes: Mapping[str, Sequence[NoteId]]
    sources: Mapping[SrcUri, NoteId]
    """The note a page is written from (a topic's or a video's first note): where a failure
    writing or rendering the page is reported."""

    def url(self, uri: str) -> SiteUrl:
        return page_url(uri, self.options.use_directory_urls)


def tag_key(tag: str) -> Key:
    """The key of a tag: its parts folded (``#Product/AI`` and ``#product/ai`` are one)."""
    return Key("/".join(fold(part) for part in tag.split("/")))


@functools.lru_cache(maxsize=4096)
def folder_uri(folder: str) -> str:
    """The source folder of a vault folder's pages (``notes/...``); a vault has far fewer
    folders than notes."""
    parts = [slug(part, "folder") for part in PurePosixPath(folder).parts]
    return posixpath.join("notes", *parts)


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


def plan_site(vault: Vault, links: Links, options: Options, report: Report) -> SiteMap:
    """Every page's path and title: notes first (by id), then attachments, topics, videos
    and tags, each in sorted order, so that the same vault always gets the same paths."""
    videos = _note_videos(vault, report)
    folders = {folder_uri(n.folder) for n in vault.notes.values() if n.folder}
    allocator = _Allocator(
        [
            *options.existing,
            *(f"{f}.md" for f in folders),
            *(f"{f}/index.md" for f in {"notes", *folders}),
        ],
        options.use_directory_urls,
    )
    note_uri: dict[NoteId, SrcUri] = {}
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        note_uri[note_id] = allocator.claim(folder_uri(note.folder), slug(note.stem))
    attachment_uri: dict[str, SrcUri] = {}
    for attachment in sorted(vault.attachments):
        wanted = f"notes/{attachment}"
        attachment_uri[attachment] = uri = allocator.claim_file(wanted)
        if uri != wanted:
            report.warn(
                attachment,
                f"{wanted} is already a page or file of the site; the attachment is "
                f"published as {uri}",
                code="attachment",
            )
    human = _human_spellings(vault, links)
    topic_titles: dict[Key, str] = {}
    topic_uri: dict[Key, SrcUri] = {}
    for key in sorted(links.mentions):
        title = topic_title(links.spellings[key], human.get(key, Counter()))
        topic_titles[key] = title
        topic_uri[key] = allocator.claim("topics", slug(title, "topic"))
    video_notes, video_title, video_uri = _allocate_videos(vault, allocator)
    tag_spellings: dict[Key, Counter[str]] = defaultdict(Counter)
    for note in vault.notes.values():
        for tag in note.tags:
            tag_spellings[tag_key(tag)][tag] += 1
    tag_titles: dict[Key, str] = {}
    tag_uri: dict[Key, SrcUri] = {}
    for key in sorted(tag_spellings):
        spellings = tag_spellings[key]
        title = min(spellings, key=lambda s: (-spellings[s], s))
        tag_titles[key] = title
        parts = [slug(part, "tag") for part in title.split("/") if part]
        tag_uri[key] = allocator.claim(posixpath.join("tags", *parts[:-1]), parts[-1])
    sources = {uri: note_id for note_id, uri in note_uri.items()}
    for key, uri in topic_uri.items():
        sources[uri] = min(m.source for m in links.mentions[key])
    for youtube, uri in video_uri.items():
        sources[uri] = video_notes[youtube][0]
    return SiteMap(
        options=options,
        note_uri=note_uri,
        topic_uri=topic_uri,
        topic_title=topic_titles,
        tag_uri=tag_uri,
        tag_title=tag_titles,
        attachment_uri=attachment_uri,
        videos=videos,
        video_uri=video_uri,
        video_title=video_title,
        video_notes=video_notes,
        sources=sources,
    )


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


def _human_spellings(vault: Vault, links: Links) -> dict[Key, Counter[str]]:
    """Aliases that spell a topic's own name, per topic (see `topic_title`)."""
    found: dict[Key, Counter[str]] = defaultdict(Counter)
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        for link in note.links:
            if not link.alias or link.markdown:
                continue
            topic = links.targets[(note_id, link.start)].resolution.topic
            alias = to_plain(link.alias).strip() if topic is not None else ""
            if alias and fold(alias) == topic and not machine_name(alias):
                found[topic][alias] += 1
    return found


def _note_videos(vault: Vault, report: Report) -> dict[NoteId, Video]:
    """Each note's playable video; a ``video:`` file missing from the vault is reported."""
    attachments = set(vault.attachments)
    videos: dict[NoteId, Video] = {}
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        video = note.video
        if video is None:
            continue
        if video.src is not None and not video.src.startswith(("http://", "https://")):
            candidates = (posixpath.join(note.folder, video.src), video.src.lstrip("/"))
            found = next((p for p in map(posixpath.normpath, candidates) if p in attachments), None)
            if found is None:
                report.warn(
                    note_id,
                    f"video file '{video.src}' is not in the vault; the note gets no player "
                    "and its timestamps stay text",
                    line=note.video_line,
                    code="video",
                )
                continue
            video = Video(src=found)
        videos[note_id] = video
    return videos


def _allocate_videos(
    vault: Vault, allocator: _Allocator
) -> tuple[dict[str, list[NoteId]], dict[str, str], dict[str, SrcUri]]:
    """A page per YouTube video, titled from a hub's ``### [Title](watch URL)`` heading:
    the notes of each video, its title, its page."""
    titles: dict[str, str] = {}
    video_notes: dict[str, list[NoteId]] = {}
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        assert note.masked is not None
        text = note.masked.masked
        for match in _VIDEO_HEADING.finditer(text) if "](" in text else ():
            youtube = youtube_id(match.group("url"))
            if youtube and youtube not in titles:
                titles[youtube] = to_plain(match.group("title")) or youtube
        if note.video is not None and note.video.youtube:
            video_notes.setdefault(note.video.youtube, []).append(note_id)
    video_title: dict[str, str] = {}
    video_uri: dict[str, SrcUri] = {}
    for youtube in sorted(video_notes):
        notes = [vault.notes[n] for n in video_notes[youtube]]
        main = max(notes, key=lambda n: (len(n.stamps), n.id))
        video_title[youtube] = titles.get(youtube) or main.title
        video_uri[youtube] = allocator.claim("videos", slug(youtube, "video"))
    return video_notes, video_title, video_uri

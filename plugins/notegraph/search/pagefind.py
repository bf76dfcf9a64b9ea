"""Full-text search with Pagefind: mark what each page contributes, then index the built site.

Pagefind splits its index into small content-addressed chunks that the browser fetches for
the words it searches, so the first search costs about the same at 100 notes as at 20,000.
Two steps, neither of which knows MkDocs:

1. `mark_page` tags a rendered page: its article becomes the only indexed part
   (``data-pagefind-body``, with the page's kind as ``kind`` meta) and its first heading
   the result title (``data-pagefind-meta="title"``). Pages left unmarked (listings, the
   graph, 404) are not indexed once any page is marked.
2. `index_site` runs the Pagefind binary shipped in the ``pagefind[extended]`` wheel over
   the site folder and writes the index into ``<site>/pagefind/``; `EXCLUDE` keeps the
   chrome inside the article (backlinks, local graph, tag chips, permalinks, timestamps,
   a note's ``From: [[channel]]`` line) out of it.

Ranking. A note's or a page's title is searched as Pagefind metadata (the search box weighs
it, ``metaWeights``), not as text: its heading is left out of the indexed text, so that a
result's excerpt is the note's own words, not its title again. A topic page has no text of
its own but its title, indexed at `TITLE_WEIGHT` ``topic`` (below a note's plain text), so
that a note ranks above a topic for the same words; a video page's title is its text.

>>> page = mark_page('<article class="md-content__inner md-typeset"><h1>A</h1>', "note")
>>> print(page.replace(" data-", "\\n data-"))
<article class="md-content__inner md-typeset"
 data-pagefind-body
 data-pagefind-meta="title[data-ng-title], kind[data-ng-kind]"
 data-ng-title="A"
 data-ng-kind="note"><h1
 data-pagefind-ignore>A</h1>
>>> mark_page("<p>no article</p>")
'<p>no article</p>'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, MutableMapping
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

from notegraph.core.base import progress
from notegraph.core.pages.site import Site

__all__ = [
    "EXCLUDE",
    "OUTPUT",
    "PagefindError",
    "BackgroundIndex",
    "SearchPages",
    "Indexed",
    "index_site",
    "mark_page",
    "page_kinds",
    "without_material_search",
    "TITLE_WEIGHT",
    "WORKER",
]

OUTPUT = "pagefind"
"""Folder of the index inside the site; the browser script loads ``pagefind/pagefind.js``."""

EXCLUDE = (
    ".headerlink",  # the ¶ of every heading
    ".ng-backlinks",  # other notes' sentences: they belong to those notes
    ".ng-mentions",  # the same on topic pages, found by their title
    "#ng-mentions",
    ".ng-moments",  # the same on video pages
    ".ng-timeline",
    "#ng-moments",
    ".ng-local-graph",  # its data attribute holds every neighbour's title
    ".ng-tags",
    ".ng-player",
    ".ng-stamp",  # "[00:01:05]": a link into the video, not words of the note
    ".ng-crumb",  # "From: [[channel]]", the same on every note of a channel
    ".ng-video-page",
    ".md-source-file",
    ".md-content__button",
    ".md-tags",
)
"""Selectors of chrome inside the article that is not the page's own text."""

TITLE_WEIGHT = {"topic": "0.5", "video": "1"}
"""Weight of the heading's words (Pagefind: 1 is plain text, 7 an ``<h1>``) on the pages whose
title is their only text; other pages leave their heading out of the text (see above)."""
KINDS = ("note", "topic", "video", "page")
WORKER = "assets/notegraph/search-worker.js"
"""What Material's search box starts as its worker when Pagefind answers: a script that
does nothing, instead of Material's own 40 KB worker and its index."""

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_H1 = re.compile(r"<h1(?=[\s>])")
_KIND_LINE = re.compile(r'<p class="ng-kind">')
_TAG = re.compile(r"<[^>]*>")
_MATERIAL_WORKER = re.compile(
    r'("search":\s*")([^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"'
)
_SEARCH_FORM = re.compile(r'(<form class="md-search__form") name="search"')
_INDEXED = re.compile(r"Indexed (\d+) pages?")
_WORDS = re.compile(r"Indexed (\d+) words?")


def page_kinds(site: Site) -> dict[str, str]:
    """Kind of each generated page that search covers, by source path: ``note``, ``topic``
    or ``video`` (the listings, tags, A–Z and the graph only repeat those pages' titles);
    other pages are of kind ``page``."""
    kinds: dict[str, str] = {uri: "video" for uri in site.map.video_uri.values()}
    kinds.update((uri, "topic") for uri in site.map.topic_uri.values())
    kinds.update((uri, "note") for uri in site.map.note_uri.values())
    return kinds


def mark_page(html: str, kind: str = "page", title: str | None = None) -> str:
    """Mark Material's article as the page's searchable body, of `kind` (`KINDS`) and
    `title` (the page's, else its first ``<h1>``'s), and its first ``<h1>``, when it shows
    that title, as left out of the text or weighted (`TITLE_WEIGHT`); a first ``<h1>`` that
    says something else (a note's own heading) stays text. The kind line of a topic or
    video page ("Topic · 3 mentions in 2 notes") becomes its ``summary``.

    >>> page = mark_page('<article class="md-content__inner md-typeset"><h1>B</h1>', "topic")
    >>> page[page.index("<h1") :]
    '<h1 data-pagefind-weight="0.5">B</h1>'
    >>> page = mark_page('<article class="md-content__inner md-typeset"><h1>B</h1></article>')
    >>> page[page.index("<h1") :]  # nothing else to find it by: the title stays text
    '<h1>B</h1></article>'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of page {kind!r}")
    article = _ARTICLE.search(html)
    if article is None:
        return html
    end = article.end()
    h1 = _H1.search(html, end)
    inside = html.find(">", h1.end()) + 1 if h1 else 0
    heading = _text(html[inside : html.find("</h1>", inside)]) if h1 else None
    title = title if title else heading or ""
    body = (
        ' data-pagefind-body data-pagefind-meta="title[data-ng-title], kind[data-ng-kind]"'
        f' data-ng-title="{escape(title, quote=True)}" data-ng-kind="{kind}"'
    )
    if h1 is None:
        return f"{html[:end]}{body}{html[end:]}"
    rest = html[h1.end() :]
    if kind in TITLE_WEIGHT:
        rest = _KIND_LINE.sub(
            '<p class="ng-kind" data-pagefind-ignore data-pagefind-meta="summary">', rest, 1
        )
    weight = TITLE_WEIGHT.get(kind)
    closed = rest.find("</h1>")
    after = rest[closed : rest.find("</article>", closed)] if closed >= 0 else ""
    if heading is None or _fold(heading) != _fold(title):
        marks = ""  # a heading of the page's own: its words
    elif not weight and not _text(after):
        marks = ""  # a note of a title alone: Pagefind leaves out a page without words
    else:
        marks = f' data-pagefind-weight="{weight}"' if weight else " data-pagefind-ignore"
    return f"{html[:end]}{body}{html[end : h1.start()]}<h1{marks}{rest}"


def _text(fragment: str) -> str:
    """The text of an HTML fragment: tags and the permalink's ¶ dropped, entities read."""
    return unescape(_TAG.sub("", fragment)).replace("¶", "").strip()


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def without_material_search(html: str) -> str:
    """A page whose header search box Pagefind answers, without Material's search worker
    and index: the box's form no longer has the name Material looks for to fetch
    ``search/search_index.json``, and the worker Material starts is `WORKER`, which does
    nothing (its place in the page's configuration keeps the same relative prefix).

    >>> print(without_material_search(
    ...     '<form class="md-search__form" name="search">\\n'
    ...     '"search": "../assets/javascripts/workers/search.a7633da7.min.js"'))
    <form class="md-search__form" name="notegraph-search">
    "search": "../assets/notegraph/search-worker.js"
    """
    html = _SEARCH_FORM.sub(r'\1 name="notegraph-search"', html, 1)
    return _MATERIAL_WORKER.sub(rf'\g<1>\g<2>{WORKER}"', html, 1)


class PagefindError(RuntimeError):
    """Pagefind failed; the message carries its output."""


class BackgroundIndex:
    """Index a site in a thread, for live preview: the page reloads without waiting for
    search, whose index follows a few seconds later. A save while an indexing runs asks
    for one more run after it, so saves never wait and the last one is always indexed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._next: dict[str, Any] | None = None
        self._running = False
        self.error: PagefindError | None = None
        """What went wrong in the last run, if anything."""
        self.last: Indexed | None = None

    def start(self, site_dir: Path, **options: Any) -> None:
        """Index `site_dir` (options: those of `index_site`) as soon as the indexing that
        runs, if any, is done."""
        with self._lock:
            self._next = {"site_dir": site_dir, **options}
            if not self._running:
                self._running = True
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._next = self._next, None
                if job is None:
                    self._running = False
                    return
            try:
                self.last, self.error = index_site(**job), None
            except PagefindError as error:
                self.error = error

    def wait(self) -> None:
        """Until every indexing asked for is done."""
        thread = self._thread
        if thread is not None:
            thread.join()


@dataclass(frozen=True)
class Indexed:
    """What Pagefind reported: pages and words indexed, and where the bundle went; how many
    runs it made, and how many of them kept the bundle of the index in place (`RunsFile`)."""

    pages: int
    words: int
    output: Path
    runs: int = 1
    kept: int = 0


class SearchPages:
    """What search needs to know of a build, page by page, from the front end that renders
    it (no MkDocs object: source paths, page metadata, HTML and folders).

    A build calls `start` with its `Site`, `read` for each page's metadata before it is
    rendered, `write` for each page's HTML before it is saved, then `index`. Under live
    preview (`serving`) one instance lives across rebuilds: a page a dirty rebuild does not
    render again keeps its place in the index (`marked`), and indexing runs in the
    background (`background`).
    """

    def __init__(self) -> None:
        self.pagefind = False
        """Whether Pagefind indexes the site (else Material's search plugin does)."""
        self.kinds: dict[str, str] = {}  # generated pages search covers: their kinds, by src_uri
        self.searched: set[str] = set()  # pages Pagefind indexes (src_uri)
        self.marked: dict[str, str] = {}  # their files in the site, kept across dirty rebuilds
        self.background = BackgroundIndex()  # search under `serve`

    def start(self, site: Site, pagefind: bool, exists: Callable[[str], bool]) -> None:
        """A new build of `site`; `exists` tells whether a source path is still a page
        (a page of a deleted note leaves the index)."""
        self.pagefind = pagefind
        self.kinds, self.searched = page_kinds(site), set()
        self.marked = {uri: dest for uri, dest in self.marked.items() if exists(uri)}

    def kind(self, src_uri: str) -> str | None:
        """``note``, ``topic`` or ``video`` for a generated page search covers, else None."""
        return self.kinds.get(src_uri)

    def read(self, src_uri: str, generated: bool, meta: MutableMapping[str, Any]) -> None:
        """A page about to be rendered, with its metadata (frontmatter): Pagefind indexes
        it unless it says ``search: {exclude: true}`` or is a generated listing; Material's
        search plugin is told to leave it alone (it would parse its HTML for nothing)."""
        if not self.pagefind:
            return
        search = meta.get("search")
        excluded = isinstance(search, dict) and search.get("exclude")
        self.marked.pop(src_uri, None)
        if not excluded and (not generated or src_uri in self.kinds):
            self.searched.add(src_uri)
        meta["search"] = {"exclude": True}  # Material's search plugin: no HTML parsing

    def write(self, src_uri: str, dest_uri: str, html: str, title: str | None) -> str:
        """A rendered page's HTML (saved as `dest_uri` in the site), marked for Pagefind
        when it is searched (`title`: the page's, unescaped)."""
        if src_uri in self.searched:
            kind = self.kinds.get(src_uri)  # a hand-written page: its <h1>
            html = mark_page(html, kind or "page", title if kind else None)
            self.marked[src_uri] = dest_uri
        return self.written(html)

    def written_elsewhere(self, src_uri: str, dest_uri: str) -> None:
        """A page that another process (a render worker) wrote with `write`: indexed as
        one written here."""
        if src_uri in self.searched:
            self.marked[src_uri] = dest_uri

    def written(self, html: str) -> str:
        """An HTML file of the site (a page, 404.html) without Material's search index
        when Pagefind answers the search box."""
        return without_material_search(html) if self.pagefind else html

    def index(
        self,
        site_dir: Path,
        use_directory_urls: bool,
        shard_bytes: int,
        jobs: int,
        serving: bool,
        runs_file: Path | None = None,
    ) -> Indexed | None:
        """Index the built site: under live preview in the background (the page reloads
        at once, search follows; the last run's error, if any, is `background.error`),
        else now, showing its progress (`runs_file`: see `index_site`): what it did, or
        None when it runs in the background. Raises `PagefindError`."""
        options: dict[str, Any] = {
            "use_directory_urls": use_directory_urls,
            "pages": sorted(self.marked.values()),
            "shard_bytes": shard_bytes,
            "jobs": jobs,
        }
        if serving:
            self.background.start(site_dir, **options)
            return None
        with progress.phase("search", "page", total=len(self.marked)):
            return index_site(
                site_dir, **options, on_progress=_search_progress, runs_file=runs_file
            )

    def wait(self) -> None:
        """Until the background indexing is done (live preview stops)."""
        self.background.wait()


def _search_progress(done: int, stage: str) -> None:
    """Pagefind's progress: the pages of the runs that finished, the stage it is in."""
    progress.advance(done)
    progress.tell(stage)


def pagefind_command() -> list[str]:
    """The Pagefind executable of the installed wheel (``pagefind[extended]``)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:  # the plain binary wheel, or a pagefind on PATH
        return [sys.executable, "-m", "pagefind"]
    return [str(get_executable())]


POLL_SECONDS = 0.2
"""How often progress is reported while Pagefind runs."""
PARALLEL_BYTES = 32 * 2**20
"""From this much HTML on, the pages are indexed in at least one run per job (per core)."""


def shards(site_dir: Path, pages: Iterable[str], budget: int, jobs: int = 1) -> list[list[str]]:
    """The searched pages (paths in the site) in runs of about `budget` bytes of HTML at
    most (a run may pass it by less than a page), cut in path order into runs of about equal
    weight; one run when `budget` is 0 or the pages fit in it, but at least one per job once
    they weigh `PARALLEL_BYTES`.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> for name, size in [("a.html", 5), ("b.html", 5), ("c.html", 5)]:
    ...     _ = (site / name).write_text("x" * size)
    >>> shards(site, ["c.html", "a.html", "b.html"], budget=10)
    [['a.html'], ['b.html', 'c.html']]
    >>> shards(site, ["c.html", "a.html", "b.html"], budget=0)
    [['a.html', 'b.html', 'c.html']]
    """
    weights = {page: (site_dir / page).stat().st_size for page in sorted(pages)}
    total = sum(weights.values())
    count = -(-total // budget) if budget else 1
    if budget and total >= PARALLEL_BYTES:
        count = max(count, jobs)
    runs: list[list[str]] = [[]]
    done = 0
    for page, weight in weights.items():
        if runs[-1] and done + weight > total * len(runs) / count:
            runs.append([])
        runs[-1].append(page)
        done += weight
    return runs


def index_site(
    site_dir: Path,
    use_directory_urls: bool = True,
    exclude: tuple[str, ...] = EXCLUDE,
    pages: Iterable[str] | None = None,
    shard_bytes: int = 0,
    jobs: int = 1,
    on_progress: Callable[[int, str], None] | None = None,
    runs_file: Path | None = None,
) -> Indexed:
    """Index the built site in `site_dir` into ``site_dir/pagefind`` (replaced if present).

    Result URLs are those of MkDocs: ``notes/a/`` with directory URLs, else ``notes/a.html``
    and ``index.html`` kept. Pagefind names every chunk by a hash of its content, so the
    same pages give the same files, byte for byte. The new index is written beside the old
    one and swapped in when complete, so a site being served never lacks one.

    Pagefind's memory grows with what it indexes (about eight bytes per byte of HTML). When
    the searched `pages` weigh more than `shard_bytes`, each run of them (`shards`) gets its
    own Pagefind, `jobs` at a time, and its own bundle: the first in ``pagefind/``, the
    others in ``pagefind/shards/N/``, listed in ``pagefind/shards.json`` for the search box
    to merge (``mergeIndex``).

    `on_progress` is called about five times a second while Pagefind runs, with the number
    of pages of the runs that finished since (0 most times) and the stage Pagefind says it
    is in ("Parsing files"...), to show progress.

    `runs_file` (outside the site, kept between builds: `RunsFile`) lets a run whose pages
    are the same, byte for byte, as the same run's of the index in place keep that run's
    bundle instead of running Pagefind again, which gives the same files.
    """
    output, fresh, stale = (site_dir / name for name in (OUTPUT, ".pagefind-new", ".pagefind-old"))
    staging = site_dir / ".pagefind-pages"
    for folder in (fresh, stale, staging):
        shutil.rmtree(folder, ignore_errors=True)
    searched = sorted(pages) if pages is not None else None
    runs = shards(site_dir, searched, shard_bytes, jobs) if searched is not None else [[]]
    sizes = [len(run) for run in runs] if len(runs) > 1 else [len(searched or ())]
    bundles = [fresh / "shards" / str(n) if n else fresh for n in range(len(runs))]
    kept = RunsFile(runs_file, output) if runs_file is not None and searched is not None else None
    digests = (
        [kept.digest(site_dir, run, use_directory_urls, exclude) for run in runs] if kept else []
    )
    reused = {
        n for n, run in enumerate(runs) if kept and run and kept.reuse(n, digests[n], bundles[n])
    }
    if len(runs) == 1:  # the whole site, as Pagefind finds it
        jobs_args = [] if reused else [(0, site_dir, fresh)]
    else:
        jobs_args = []
        for number, run in enumerate(runs):
            if number in reused:
                continue
            root = staging / str(number)
            for page in run:
                _link(site_dir / page, root / page)
            jobs_args.append((number, root, bundles[number]))
    report = on_progress or (lambda done, stage: None)
    for number in sorted(reused):
        report(sizes[number], "")
    try:
        found = _run_all(
            [_command(root, out, use_directory_urls, exclude) for _, root, out in jobs_args],
            jobs,
            [sizes[number] for number, _, _ in jobs_args],
            report,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (fresh / "pagefind.js").is_file():
        raise PagefindError(f"Pagefind wrote no bundle into {fresh}")
    extra = [f"{OUTPUT}/shards/{n}/" for n in range(1, len(runs))]
    (fresh / "shards.json").write_text(json.dumps(extra), encoding="utf-8")
    counts = [kept.counts(n) if kept and n in reused else (0, 0) for n in range(len(runs))]
    for (number, _, _), text in zip(jobs_args, found, strict=True):
        counts[number] = _counted(text)
    if output.exists():
        output.rename(stale)
    fresh.rename(output)
    shutil.rmtree(stale, ignore_errors=True)
    if kept is not None:
        kept.save(digests, counts, [output / b.relative_to(fresh) for b in bundles], reused)
    return Indexed(
        pages=sum(pages for pages, _ in counts),
        words=sum(words for _, words in counts),
        output=output,
        runs=len(runs),
        kept=len(reused),
    )


class RunsFile:
    """What the index in place was made from, kept outside the site between builds: for
    each run, the digest of its pages (`digest`), its bundle's files with their sizes, and
    how many pages and words Pagefind indexed in it; and for each page, its size, time
    and digest when it was read.

    A run is reused (`reuse`) only at the same place, with the same digest, and when every
    file of its bundle is still there with its size; anything else runs Pagefind again.
    A page whose size and time (in nanoseconds) are those recorded is not read again: an
    incremental build leaves the pages it does not render as they were, and a page written
    again gets a new time.
    """

    FORMAT = 2

    def __init__(self, path: Path, output: Path) -> None:
        self.path, self.output = path, output
        self.pages: dict[str, list[Any]] = {}
        """Each page read: [size, time in ns, SHA-256 of its bytes]."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            fits = data.get("format") == self.FORMAT
            self.runs: list[dict[str, Any]] = [dict(run) for run in data["runs"]] if fits else []
            self.known: dict[str, list[Any]] = dict(data["pages"]) if fits else {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.runs, self.known = [], {}  # none, or unreadable: every run runs
        path.unlink(missing_ok=True)  # rewritten once the new index is in place

    def digest(
        self, site_dir: Path, run: list[str], use_directory_urls: bool, exclude: Iterable[str]
    ) -> str:
        """The digest of what one Pagefind run reads: its options, its pages' paths and bytes."""
        digest = hashlib.sha256(json.dumps([use_directory_urls, list(exclude)]).encode())
        for page in run:
            digest.update(page.encode("utf-8") + b"\0")
            digest.update(bytes.fromhex(self._page_digest(site_dir, page)))
        return digest.hexdigest()

    def _page_digest(self, site_dir: Path, page: str) -> str:
        path = site_dir / page
        stat = path.stat()
        known = self.known.get(page)
        if (
            isinstance(known, list)
            and len(known) == 3
            and known[:2] == [stat.st_size, stat.st_mtime_ns]
            and isinstance(known[2], str)
            and len(known[2]) == 64
        ):
            self.pages[page] = known
            return known[2]
        data = path.read_bytes()
        if len(data) != stat.st_size:  # written meanwhile: not recorded
            return hashlib.sha256(data).hexdigest()
        self.pages[page] = [stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest()]
        return str(self.pages[page][2])

    def _bundle(self, number: int) -> Path:
        return self.output / "shards" / str(number) if number else self.output

    def reuse(self, number: int, digest: str, bundle: Path) -> bool:
        """Give run `number`'s bundle of the index in place to `bundle` if it was made from
        the same pages (`digest`) and is whole; whether it was.

        The first run's files are linked one by one (the other runs' bundles are in its
        folder); any other run's folder is moved whole, thousands of files at once. The
        index in place then lacks it until the new one takes its place: a build that
        stops before leaves no runs file, so the next build runs Pagefind on every run."""
        if number >= len(self.runs) or self.runs[number].get("digest") != digest:
            return False
        old = self._bundle(number)
        files = self.runs[number].get("files")
        if not isinstance(files, dict) or not files:
            return False
        try:
            if any((old / name).stat().st_size != size for name, size in files.items()):
                return False
        except OSError:
            return False
        if number:
            bundle.parent.mkdir(parents=True, exist_ok=True)
            old.rename(bundle)
            return True
        for name in sorted(files):
            _link(old / name, bundle / name)
        return True

    def counts(self, number: int) -> tuple[int, int]:
        """Pages and words that Pagefind indexed in run `number` of the index in place."""
        run = self.runs[number]
        return int(run.get("pages", 0)), int(run.get("words", 0))

    def save(
        self,
        digests: list[str],
        counts: list[tuple[int, int]],
        bundles: list[Path],
        reused: Collection[int] = (),
    ) -> None:
        """Record the index now in place: each run's digest, counts and bundle's files (a
        `reused` run's are those it was copied from: thousands of files, not listed again)."""
        runs = []
        for number, (digest, (pages, words), bundle) in enumerate(
            zip(digests, counts, bundles, strict=True)
        ):
            if number in reused:
                runs.append({**self.runs[number], "digest": digest})
                continue
            files = {
                path.relative_to(bundle).as_posix(): path.stat().st_size
                for path in sorted(bundle.rglob("*"))
                if path.is_file() and not (number == 0 and _outside_run(path.relative_to(bundle)))
            }
            runs.append({"digest": digest, "pages": pages, "words": words, "files": files})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        data = {"format": self.FORMAT, "runs": runs, "pages": dict(sorted(self.pages.items()))}
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        temporary.replace(self.path)


def _outside_run(relative: Path) -> bool:
    """Whether a file of the first bundle's folder belongs to the index, not to that run:
    the other runs' bundles and their list."""
    return relative.parts[0] in ("shards", "shards.json")


def _counted(text: str) -> tuple[int, int]:
    """The pages and words a Pagefind run says it indexed."""
    pages, words = (_INDEXED.search(text), _WORDS.search(text))
    return int(pages.group(1)) if pages else 0, int(words.group(1)) if words else 0


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (a copy where links cannot be made)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _command(
    root: Path, output: Path, use_directory_urls: bool, exclude: tuple[str, ...]
) -> list[str]:
    command = [*pagefind_command(), "--site", str(root), "--output-path", str(output)]
    if not use_directory_urls:
        command.append("--keep-index-url")
    for selector in exclude:
        command += ["--exclude-selectors", selector]
    return command


def _run_all(
    commands: list[list[str]],
    jobs: int,
    sizes: list[int],
    on_progress: Callable[[int, str], None],
) -> list[str]:
    """Run the Pagefind commands, `jobs` at a time; the output of each, in order.

    Each writes into a temporary file (a pipe could fill up while nobody reads it), so
    that waiting can be cut in short slices, each of which reports progress.
    """
    texts = [""] * len(commands)
    running: list[tuple[int, subprocess.Popen[bytes], Any]] = []
    pending = list(enumerate(commands))
    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                index, command = pending.pop(0)
                log = tempfile.TemporaryFile()  # noqa: SIM115 - closed when its run ends
                try:
                    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
                except OSError as error:
                    log.close()
                    raise PagefindError(f"cannot run Pagefind ({command[0]}): {error}") from error
                running.append((index, process, log))
            index, process, log = running[0]
            try:
                process.wait(timeout=POLL_SECONDS)
            except subprocess.TimeoutExpired:
                on_progress(0, _stage(log))
                continue
            running.pop(0)
            log.seek(0)
            texts[index] = log.read().decode("utf-8", errors="replace")
            log.close()
            if process.returncode != 0:
                raise PagefindError(
                    f"Pagefind failed (exit {process.returncode}):\n{texts[index].strip()}"
                )
            on_progress(sizes[index] if index < len(sizes) else 0, "")
    finally:
        for _, process, log in running:
            process.kill()
            process.wait()
            log.close()
    return texts


_STAGE = re.compile(rb"^\[([^\]\n]{1,60})\]$", re.MULTILINE)


def _stage(log: Any) -> str:
    """The last ``[Stage]`` line Pagefind wrote so far (``Building search indexes``).

    Read with ``pread``: the file's offset is shared with Pagefind, which writes at it.
    """
    fd = log.fileno()
    stages = _STAGE.findall(os.pread(fd, min(os.fstat(fd).st_size, 2**20), 0))
    return stages[-1].decode("utf-8", errors="replace") if stages else ""

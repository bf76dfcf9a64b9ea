"""Full-text search with Pagefind: mark what each page contributes, then index the built site.

Pagefind splits its index into small content-addressed chunks that the browser fetches for
the words it searches, so the first search costs about the same at 100 notes as at 20,000.
Two steps, neither of which knows MkDocs:

1. `mark_page` tags a rendered page: its article becomes the only indexed part
   (``data-pagefind-body``) and its first heading the result title
   (``data-pagefind-meta="title"``). Pages left unmarked (listings, the graph, 404) are not
   indexed once any page is marked.
2. `index_site` runs the Pagefind binary shipped in the ``pagefind[extended]`` wheel over
   the site folder and writes the index into ``<site>/pagefind/``; `EXCLUDE` keeps the
   chrome inside the article (backlinks, local graph, tag chips, permalinks) out of it.

>>> print(mark_page('<article class="md-content__inner md-typeset">\\n<h1 id="t">A</h1>'))
<article class="md-content__inner md-typeset" data-pagefind-body>
<h1 data-pagefind-meta="title" id="t">A</h1>
>>> mark_page("<p>no article</p>")
'<p>no article</p>'
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .site import Site

__all__ = [
    "EXCLUDE",
    "OUTPUT",
    "PagefindError",
    "BackgroundIndex",
    "Indexed",
    "index_site",
    "mark_page",
    "searched_pages",
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
    ".ng-kind",
    ".ng-player",
    ".ng-video-page",
    ".md-source-file",
    ".md-content__button",
    ".md-tags",
)
"""Selectors of chrome inside the article that is not the page's own text."""

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset"')
_H1 = re.compile(r"<h1(?=[\s>])")
_INDEXED = re.compile(r"Indexed (\d+) pages?")
_WORDS = re.compile(r"Indexed (\d+) words?")


def searched_pages(site: Site) -> frozenset[str]:
    """Source paths of the generated pages that search covers: notes, topics and videos.

    The listings (sections, tags, A–Z) and the graph only repeat those pages' titles.
    """
    return frozenset([*site.note_uri.values(), *site.topic_uri.values(), *site.video_uri.values()])


def mark_page(html: str) -> str:
    """Mark Material's article as the page's searchable body and its first ``<h1>`` as title."""
    article = _ARTICLE.search(html)
    if article is None:
        return html
    end = article.end()
    h1 = _H1.search(html, end)
    if h1 is None:
        return f"{html[:end]} data-pagefind-body{html[end:]}"
    at = h1.end()
    return (
        f"{html[:end]} data-pagefind-body{html[end : h1.start()]}"
        f'<h1 data-pagefind-meta="title"{html[at:]}'
    )


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
    """What Pagefind reported: pages and words indexed, and where the bundle went."""

    pages: int
    words: int
    output: Path


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
    """
    output, fresh, stale = (site_dir / name for name in (OUTPUT, ".pagefind-new", ".pagefind-old"))
    staging = site_dir / ".pagefind-pages"
    for folder in (fresh, stale, staging):
        shutil.rmtree(folder, ignore_errors=True)
    searched = sorted(pages) if pages is not None else None
    runs = shards(site_dir, searched, shard_bytes, jobs) if searched is not None else [[]]
    sizes = [len(run) for run in runs] if len(runs) > 1 else [len(searched or ())]
    if len(runs) == 1:  # the whole site, as Pagefind finds it
        jobs_args = [(site_dir, fresh)]
    else:
        jobs_args = []
        for number, run in enumerate(runs):
            root = staging / str(number)
            for page in run:
                _link(site_dir / page, root / page)
            jobs_args.append((root, fresh / "shards" / str(number) if number else fresh))
    try:
        found = _run_all(
            [_command(root, out, use_directory_urls, exclude) for root, out in jobs_args],
            jobs,
            sizes,
            on_progress or (lambda done, stage: None),
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if not (fresh / "pagefind.js").is_file():
        raise PagefindError(f"Pagefind wrote no bundle into {fresh}")
    extra = [f"{OUTPUT}/shards/{n}/" for n in range(1, len(jobs_args))]
    (fresh / "shards.json").write_text(json.dumps(extra), encoding="utf-8")
    if output.exists():
        output.rename(stale)
    fresh.rename(output)
    shutil.rmtree(stale, ignore_errors=True)
    return Indexed(
        pages=sum(int(m.group(1)) for text in found if (m := _INDEXED.search(text))),
        words=sum(int(m.group(1)) for text in found if (m := _WORDS.search(text))),
        output=output,
    )


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

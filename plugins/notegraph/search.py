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

import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

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
        self._next: tuple[Path, bool] | None = None
        self._running = False
        self.error: PagefindError | None = None
        """What went wrong in the last run, if anything."""
        self.last: Indexed | None = None

    def start(self, site_dir: Path, use_directory_urls: bool) -> None:
        with self._lock:
            self._next = (site_dir, use_directory_urls)
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
                self.last, self.error = index_site(*job), None
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


def index_site(
    site_dir: Path, use_directory_urls: bool = True, exclude: tuple[str, ...] = EXCLUDE
) -> Indexed:
    """Index the built site in `site_dir` into ``site_dir/pagefind`` (replaced if present).

    Result URLs are those of MkDocs: ``notes/a/`` with directory URLs, else ``notes/a.html``
    and ``index.html`` kept. Pagefind names every chunk by a hash of its content, so the
    same pages give the same files, byte for byte. The new index is written beside the old
    one and swapped in when complete, so a site being served never lacks one.
    """
    output, fresh, stale = (site_dir / name for name in (OUTPUT, ".pagefind-new", ".pagefind-old"))
    for folder in (fresh, stale):
        shutil.rmtree(folder, ignore_errors=True)
    command = [*pagefind_command(), "--site", str(site_dir), "--output-subdir", fresh.name]
    if not use_directory_urls:
        command.append("--keep-index-url")
    for selector in exclude:
        command += ["--exclude-selectors", selector]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise PagefindError(f"cannot run Pagefind ({command[0]}): {error}") from error
    text = done.stdout + done.stderr
    if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
        raise PagefindError(f"Pagefind failed (exit {done.returncode}):\n{text.strip()}")
    if output.exists():
        output.rename(stale)
    fresh.rename(output)
    shutil.rmtree(stale, ignore_errors=True)
    pages, words = _INDEXED.search(text), _WORDS.search(text)
    return Indexed(
        pages=int(pages.group(1)) if pages else 0,
        words=int(words.group(1)) if words else 0,
        output=output,
    )

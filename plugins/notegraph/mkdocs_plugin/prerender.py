"""Render generated pages in worker processes, so that a build uses every core.

MkDocs renders one page after another in one process: Markdown, then the theme's template.
At thousands of notes that is most of a build, and a machine has more than one core. Before
MkDocs reads the first page (``on_nav``), `Prerenderer.start` forks workers that each render
a share of the generated pages exactly as MkDocs would (the same plugin events, Markdown
extensions and template; notegraph writes each page's Markdown in the worker too) and write
each finished page to its place in the site, after its ``on_post_page`` events. MkDocs then
goes through every page as usual, but `PrerenderedPage` reads and converts nothing: it takes
the worker's meta, HTML, table of contents and anchors, and the page's template becomes
`TEMPLATE`, which outputs nothing; the plugin's ``on_post_page`` leaves it empty, so MkDocs
does not write the page again (`written`: its note that it skipped an empty page is not
logged for these). Every other plugin event still runs in the main process (search
indexes), so the site is the same, byte for byte.

Only what workers can do without changing the result is handed to them:

- pages notegraph generated that are not in the nav (notes, topics, videos, listings);
- plain builds (``mkdocs build``): a live-reload server runs threads, and ``--dirty``
  rebuilds render few pages;
- sites whose other plugins are known to be safe with it (`SAFE_PLUGINS`): a plugin that
  writes files, or changes pages in its events, would do it in a worker and be ignored.

A worker renders Material's header, navigation and tabs once for all the pages that show
the same (`chrome`), and builds its Markdown converter once and resets it for each page, when every
extension of the site is one known to reset all it keeps per document (`_Converter`);
MkDocs builds one per page, which took a third as long as converting the page.

A page a worker failed on is rendered in the main process as usual. Log records of the
workers (a broken link) are logged again by the main process, so that ``--strict`` counts
them.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pkgutil
import signal
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import markdown
import markdown.extensions
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from notegraph.core.base import progress
from notegraph.mkdocs_plugin.chrome import Chrome

__all__ = ["Prerenderer", "PrerenderedPage", "TEMPLATE", "SAFE_PLUGINS"]

TEMPLATE = "notegraph/prerendered.html"
"""Template of a page a worker rendered and wrote: empty (in the plugin's template folder,
which it adds to the theme's)."""
SAFE_PLUGINS = frozenset({"notegraph", "search", "material/search", "tags", "material/tags"})
"""Plugins whose events give the same site when they also run in a worker."""
MIN_PAGES = 100
"""Below this many pages, forking costs more than it saves."""
RESETTING_EXTENSIONS = ("markdown.extensions.", "pymdownx.", "material.", "notegraph.")
"""Packages of Markdown extensions that keep nothing of one document for the next once the
converter is reset (Python-Markdown's ``reset`` contract): a converter with only these is
reused from page to page. Python-Markdown's own are also named by their short name."""


@dataclass
class Rendered:
    """What a worker sends back for one page (everything but the output, which it wrote)."""

    src_uri: str
    meta: dict[str, Any] = field(default_factory=dict)
    """The page's meta as read from its source, before any plugin event."""
    content: str = ""
    """The page's HTML, when a plugin of the main process may read it (see `_render`)."""
    toc: Any = None
    """The page's table of contents, when the page's HTML is sent too (a search plugin of
    the main process splits a page at its headings); else None: the page is finished, and
    47,000 tables of contents kept by the main process would take some 100 MB."""
    title: str | None = None
    anchors: set[str] = field(default_factory=set)
    links_to_anchors: dict[str, dict[str, str]] | None = None
    records: list[logging.LogRecord] = field(default_factory=list)
    extra: Any = None
    """What the `collect` function of the `Prerenderer` returned after this page."""
    written: bool = True
    """False when the page's output was empty (MkDocs writes no such page)."""
    error: str = ""


class PrerenderedPage(Page):
    """A generated page whose rendering a worker may already have done.

    Then nothing of it is read or converted here: `read_source` takes the worker's result
    (waiting for it) and `render` puts it in place.
    """

    prerenderer: Prerenderer | None = None
    output_path: str | None = None
    written = False
    """Whether a worker wrote the page (its output was not empty)."""
    _done: Rendered | None = None

    def read_source(self, config: MkDocsConfig) -> None:
        self._done = self.prerenderer.take(self.file.src_uri) if self.prerenderer else None
        if self._done is None:
            super().read_source(config)
            return
        self.markdown, self.meta = "", dict(self._done.meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        done, self._done = self._done, None
        if done is None:
            super().render(config, files)
            return
        self.content = done.content
        if done.toc is not None:
            self.toc = done.toc
        self._title_from_render = done.title
        self.present_anchor_ids = done.anchors
        if done.links_to_anchors is not None:
            self.links_to_anchors = {
                target: links
                for uri, links in done.links_to_anchors.items()
                if (target := files.get_file_from_path(uri)) is not None
            }
        self.meta["template"] = TEMPLATE
        self.output_path = self.file.abs_dest_path
        self.written = done.written

    @property
    def prerendered(self) -> bool:
        return self.output_path is not None


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # picklable
        record.exc_info = record.exc_text = None
        self.records.append(record)


class _SkippedNotes(logging.Filter):
    """Leaves out MkDocs' note that it skipped a page of empty output, for the pages a
    worker wrote (MkDocs is handed them empty: `PrerenderedPage`)."""

    PREFIX, SUFFIX = "Page skipped: '", "'. Generated empty output."

    def __init__(self, written: set[str]) -> None:
        super().__init__()
        self.written = written

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(self.PREFIX) and message.endswith(self.SUFFIX):
            return message[len(self.PREFIX) : -len(self.SUFFIX)] not in self.written
        return True


class Prerenderer:
    """Workers rendering a fixed list of pages; the main process takes each page's result."""

    def __init__(
        self,
        workers: int,
        collect: Callable[[], Any] = lambda: None,
        deliver: Callable[[Any], None] = lambda extra: None,
    ) -> None:
        """`collect` runs in a worker after each page, and what it returns is handed to
        `deliver` in the main process when the page's result is taken."""
        self.workers = workers
        self.collect = collect
        self.deliver = deliver
        self._owner: dict[str, int] = {}
        self._pipes: list[Connection] = []
        self._processes: list[Any] = []
        self._waiting: dict[str, Rendered] = {}
        self.rendered = 0
        """Pages whose worker result was taken."""
        self.written: set[str] = set()
        """Pages a worker wrote to the site (by src_uri)."""
        self._skipped = _SkippedNotes(self.written)

    @staticmethod
    def usable(config: MkDocsConfig, command: str, dirty: bool, workers: int) -> bool:
        """Whether this build may use workers (see the module's docstring)."""
        if workers < 2 or command != "build" or dirty:
            return False
        if "fork" not in multiprocessing.get_all_start_methods():
            return False
        return set(config.plugins) <= SAFE_PLUGINS

    def start(
        self, pages: Sequence[PrerenderedPage], config: MkDocsConfig, files: Files, nav: Navigation
    ) -> None:
        """Fork the workers; page ``i`` goes to worker ``i % workers``."""
        if len(pages) < MIN_PAGES:
            return
        context = multiprocessing.get_context("fork")
        for index in range(self.workers):
            share = [page.file.src_uri for page in pages[index :: self.workers]]
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_work, args=(send, share, config, files, nav, self.collect), daemon=True
            )
            process.start()
            send.close()
            self._pipes.append(receive)
            self._processes.append(process)
            self._owner.update(dict.fromkeys(share, index))
        for page in pages:
            page.prerenderer = self
        logging.getLogger("mkdocs.commands.build").addFilter(self._skipped)

    def take(self, src_uri: str) -> Rendered | None:
        """The worker's result for a page (waiting for it), or None: render it here."""
        index = self._owner.pop(src_uri, None)
        if index is None:
            return None
        pipe = self._pipes[index]
        while src_uri not in self._waiting:
            try:
                done: Rendered = pipe.recv()
            except (EOFError, OSError):
                self._abandon(index)
                return None
            self._waiting[done.src_uri] = done
        done = self._waiting.pop(src_uri)
        if done.error:  # rendered again here, which logs what there is to log
            logging.getLogger("mkdocs.plugins.notegraph").debug(
                f"notegraph: worker could not render '{src_uri}', rendering it here:\n{done.error}"
            )
            return None
        for record in done.records:
            logging.getLogger(record.name).handle(record)
        self.deliver(done.extra)
        self.rendered += 1
        if done.written:
            self.written.add(src_uri)
        return done

    def _abandon(self, index: int) -> None:
        """A worker stopped: its pages not yet received are rendered in the main process."""
        for uri in [uri for uri, owner in self._owner.items() if owner == index]:
            del self._owner[uri]

    def close(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(self._skipped)
        for process in self._processes:
            if process.is_alive():
                process.terminate()
            process.join(timeout=5)
        for pipe in self._pipes:
            pipe.close()
        self._processes, self._pipes = [], []


def _work(
    pipe: Connection,
    share: Iterable[str],
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    collect: Callable[[], Any],
) -> None:
    """A worker: render each page of `share` like MkDocs would, write it, report it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # `close` ends it at once (`parallel`)
    progress.install(None)  # the main process counts the pages as it takes them
    capture = _Capture()
    for name in ("", "mkdocs"):
        logger = logging.getLogger(name)
        logger.handlers = [capture] if name == "mkdocs" else []
    for page in nav.pages:  # their titles show in every page's navigation
        if page.markdown is None:
            page.read_source(config)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    converter = _Converter(config) if _Converter.reusable(config) else None
    Chrome.install(env, nav)
    for src_uri in share:
        file = files.get_file_from_path(src_uri)
        capture.records = []
        result = Rendered(src_uri)
        try:
            assert file is not None and isinstance(file.page, PrerenderedPage)
            result = _render(file, config, files, nav, env, doc_files, converter)
        except Exception:  # noqa: BLE001 - any failure: the main process renders the page
            result.error = traceback.format_exc()
        result.records = capture.records
        result.extra = collect()
        pipe.send(result)
        if file is not None and file.page is not None:
            file.page.content = file.page.markdown = None  # keep the worker small
    pipe.close()
    os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


def _render(
    file: File,
    config: MkDocsConfig,
    files: Files,
    nav: Navigation,
    env: Any,
    doc_files: Sequence[File],
    converter: _Converter | None,
) -> Rendered:
    page = file.page
    assert isinstance(page, PrerenderedPage)
    page.prerenderer = None  # render it here, for real
    # `_populate_page` of MkDocs, keeping the meta as read from the source.
    config._current_page = page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    assert page.markdown is not None
    meta = dict(page.meta)
    page.markdown = config.plugins.on_page_markdown(
        page.markdown, page=page, config=config, files=files
    )
    if converter is None:
        page.render(config, files)
    else:
        converter.render(page, config, files)
    assert page.content is not None
    page.content = config.plugins.on_page_content(
        page.content, page=page, config=config, files=files
    )
    page.active = True
    try:
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
    finally:
        page.active = False
    written = bool(output.strip())  # as MkDocs' `_build_page`
    if written:
        path = Path(file.abs_dest_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))
    links = page.links_to_anchors
    search = page.meta.get("search")
    indexed = not (isinstance(search, dict) and search.get("exclude"))
    return Rendered(
        src_uri=file.src_uri,
        meta=meta,
        content=page.content if indexed else "",  # for a search plugin of the main process
        toc=page.toc if indexed else None,
        title=page._title_from_render,
        anchors=set(page.present_anchor_ids or ()),
        links_to_anchors=(
            {target.src_uri: dict(found) for target, found in links.items()}
            if links is not None
            else None
        ),
        written=written,
    )


class _Converter:
    """A worker's Markdown converter: built once, reset before each page.

    `render` does what MkDocs' ``Page.render`` does (MkDocs 1.6: the site's extensions, then
    its own processors for raw HTML anchors, anchors, relative links and the title, each new
    for the page), but on this converter, where MkDocs builds a new one for every page.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        self.md = markdown.Markdown(
            extensions=config["markdown_extensions"],
            extension_configs=config["mdx_configs"] or {},
        )

    @staticmethod
    def reusable(config: MkDocsConfig) -> bool:
        """Whether every extension of the site resets what it keeps (`RESETTING_EXTENSIONS`)."""
        own = {module.name for module in pkgutil.iter_modules(markdown.extensions.__path__)}
        return all(
            isinstance(name, str) and (name in own or name.startswith(RESETTING_EXTENSIONS))
            for name in config["markdown_extensions"]
        )

    def render(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        md = self.md.reset()
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        anchors._register(md)
        relative = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        relative._register(md)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        title._register(md)
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = relative.links_to_anchors

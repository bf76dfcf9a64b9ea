"""The MkDocs adapter: each event hands work to the core and returns.

Sequence: ``on_config`` finds the vault and the Markdown extensions the pages need;
``on_files`` runs the core pipeline (parse, resolve, graph; on every core) before any page is
rendered and adds every generated page as a real MkDocs file, whose Markdown is written when
MkDocs reads it; ``on_nav`` starts the render workers (`prerender`) of a plain build;
``on_page_content`` puts each page's raw HTML back (`fragments`), sanitizes it and adds its
local graph; ``on_serve`` watches the vault (a save redoes only what it changed: the core's
memo, compiled templates kept); ``on_post_build`` indexes the site for search
(``search: pagefind``; ``on_page_markdown`` keeps Material's search plugin from parsing
pages, ``on_post_page`` marks what Pagefind indexes) and prints the one-line summary.

Around them: ``on_pre_build`` refuses a site folder that holds the user's files before MkDocs
empties it (`output`); each long phase reports its progress (`phases`: read, link and
graph in ``on_files``, render from ``on_nav`` to ``on_env``, write from there to
``on_post_build``, then search); every finding is logged at debug level as it is found and
summed up in one warning at the end (`findings`).

The state that spans events lives in objects of the modules they serve, which the events
call: `search.pagefind.SearchPages` (what Pagefind indexes), `findings.FindingsLog`,
`store.DirtyBuilds` (what a ``serve --dirty`` rebuild keeps) and `phases.Phases`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs import utils as mkdocs_utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from notegraph.core.base import progress
from notegraph.core.base.guard import guarded, render_failures, report_failure
from notegraph.core.base.memo import Memo
from notegraph.core.base.names import NoteId, SrcUri, slug
from notegraph.core.base.output import FORCE_ENV, mark, refusal
from notegraph.core.base.parallel import map_forked
from notegraph.core.base.progress import Progress, install
from notegraph.core.base.report import Report, plural
from notegraph.core.graph.export import nodes_signature
from notegraph.core.graph.view import GRAPH_PAGE, GraphView, ViewOptions
from notegraph.core.mdx.extensions import add_extensions
from notegraph.core.pages.edit import edit_href, notes_edit_url
from notegraph.core.pages.preview import note_moments, preview_json, preview_path
from notegraph.core.pages.site import Site
from notegraph.core.pipeline import Build, build_site
from notegraph.core.sitemap.sitemap import SECTIONS, Options
from notegraph.core.vault import anchors
from notegraph.core.vault.reserved import SafeSlugify
from notegraph.mkdocs_plugin.config import NotegraphConfig
from notegraph.mkdocs_plugin.findings import FindingsLog, quoted
from notegraph.mkdocs_plugin.incremental import Incremental, Keyed, fingerprint, page_key
from notegraph.mkdocs_plugin.phases import Phases
from notegraph.mkdocs_plugin.prerender import PrerenderedPage, Prerenderer
from notegraph.mkdocs_plugin.store import DirtyBuilds, remove_stale
from notegraph.search.pagefind import OUTPUT, WORKER, PagefindError, SearchPages

log = get_plugin_logger("notegraph")

PACKAGE = Path(__file__).parents[1]  # notegraph/
ASSETS = PACKAGE / "assets"
TEMPLATES = Path(__file__).parent / "templates"  # overrides Material's (after custom_dir)
CSS = "assets/notegraph/notegraph.css"
VIDEO_JS = "assets/notegraph/video.js"
SEARCH_JS = "assets/notegraph/search.js"
DIALECT_JS = "assets/notegraph/dialect.js"
KATEX_FONTS = "vendor/katex/fonts/*.woff2"
DIALECT_ASSETS = {  # site path -> file shipped in assets/ (loaded by dialect.js when needed)
    f"assets/notegraph/{name}": name
    for name in (
        "vendor/katex/katex.min.js",
        "vendor/katex/katex.min.css",
        "vendor/katex/LICENSE",
        *(f"vendor/katex/fonts/{font.name}" for font in sorted(ASSETS.glob(KATEX_FONTS))),
        "vendor/mermaid/mermaid.min.js",
        "vendor/mermaid/LICENSE",
    )
}
PREVIEW_JS = "assets/notegraph/preview.js"
GRAPH_ASSETS = {  # site path -> file shipped in assets/ (vis-network: vendored from pyvis)
    f"assets/notegraph/{name}": name
    for name in (
        "graph.js",
        "graph.css",
        "vendor/vis-network/vis-network.min.js",
        "vendor/vis-network/LICENSE",
    )
}


class _PageFile(File):
    """A page notegraph generates: its Markdown is written when MkDocs reads it.

    In a dirty build (``notegraph build``, incremental), `modified` says whether MkDocs
    renders it (see `incremental`)."""

    write: Callable[[], str]
    modified = True

    def is_modified(self) -> bool:
        return self.modified

    @classmethod
    def lazy(
        cls, config: MkDocsConfig, uri: str, write: Callable[[], str], inclusion: InclusionLevel
    ) -> _PageFile:
        page = cls.generated(config, uri, content="", inclusion=inclusion)
        assert isinstance(page, _PageFile)
        page.write = write
        return page

    @property  # type: ignore[misc]
    def content_string(self) -> str:
        return self.write()


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per `serve`, not once per save.

    MkDocs makes a new Jinja environment for every build, which compiles Material's
    templates again (about half a second a save); Jinja checks each against its source.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class NotegraphPlugin(BasePlugin[NotegraphConfig]):  # type: ignore[no-untyped-call]  # MkDocs'
    supports_multiple_instances = False
    unstable_options = frozenset({"cache"})
    """Options no page depends on, left out of an incremental build's fingerprint: CI may
    restore the cache folder at another path."""

    def __init__(self) -> None:
        self.vault = Path()
        self.build: Build | None = None  # the last build's result (`pipeline.build_site`)
        self.pid = os.getpid()  # the main process (render workers are forked from it)
        self.builds = 0  # builds this instance ran (`serve` keeps it across rebuilds)
        self.serving = False
        self.cache_dir: Path | None = None
        self.command = ""
        self.dirty = False
        self.pieces: dict[SrcUri, list[str]] = {}  # raw HTML of pages written, not yet rendered
        self.memo = Memo()  # under serve: what a rebuild can reuse
        self.templates = _CompiledTemplates()  # under serve: kept across rebuilds
        self.prerenderer: Prerenderer | None = None
        self.edit_url = ""  # base URL of the notes' sources
        self.note_of: dict[str, str] = {}  # note id by page source path
        # What each event hands its work to (`serve` keeps them across rebuilds):
        self.search = SearchPages()  # what Pagefind indexes (`search.pagefind`)
        self.findings = FindingsLog()  # the build's findings in its log
        self.rebuilds = DirtyBuilds()  # what a dirty rebuild keeps of the one before
        self.phases = Phases()  # progress of the long phases, and their seconds
        # An incremental build (`incremental`): a dirty `build` that renders what changed.
        self.incremental: Incremental | None = None
        self.moments: dict[str, int] = {}  # `_moments`, this build's
        self.env = ""  # the build's `incremental.fingerprint`
        self.full_why = ""  # why this dirty build renders every page, if it does
        self.digests: dict[str, str] = {}  # digest of each page's Markdown, as it is read
        self.sent: list[tuple[str, Keyed]] = []  # a render worker's pages, keyed
        self.skipped: list[str] = []  # pages this build does not render (they kept their files)
        self.outputs: list[str] = []  # site paths of the files MkDocs was given

    @property
    def site(self) -> Site | None:
        return self.build.site if self.build is not None else None

    @property
    def view(self) -> GraphView | None:
        return self.build.view if self.build is not None else None

    @property
    def failing(self) -> int:
        """Errors and warnings the last build reported (the `notegraph` command's
        ``--strict`` message counts them)."""
        return self.findings.failing

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across rebuilds under `serve`.
        self.serving = command == "serve"
        self.command, self.dirty = command, dirty
        if dirty:  # the plugin rebuilds what a save changed and deletes what it removed
            logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)

    def on_shutdown(self) -> None:
        self.search.wait()
        logging.getLogger("mkdocs.commands.build").removeFilter(_no_dirty_warning)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.phases.start()
        self.pid = os.getpid()
        self.builds += 1
        self.build = None
        self.findings.start()
        install(Progress(finished=log.debug if self.serving else log.info))
        base = Path(config.config_file_path or ".").resolve().parent
        self.vault = (base / (self.config.vault or self.config.notes_dir)).resolve()
        if not self.vault.is_dir():
            raise PluginError(f"notegraph: notes folder '{self.vault}' does not exist")
        add_extensions(config.markdown_extensions, config.mdx_configs)
        toc = config.mdx_configs.setdefault("toc", {})  # heading ids the theme owns get a prefix
        toc["slugify"] = SafeSlugify(toc.get("slugify", anchors.slugify))
        self.edit_url = self._edit_url(config, base)
        dirs = config.theme.dirs  # ours before Material's: its header would ask GitHub for stars
        if str(TEMPLATES) not in dirs:
            material = config.theme.name == "material"
            dirs.insert(
                (1 if config.theme.custom_dir else 0) if material else len(dirs), str(TEMPLATES)
            )
        config.extra_css.append(CSS)
        config.extra_javascript.append(VIDEO_JS)
        config.extra_javascript.append(DIALECT_JS)
        if self._graphs:
            config.extra_css.append("assets/notegraph/graph.css")
            config.extra_javascript.append("assets/notegraph/graph.js")
        if self._pagefind:
            config.extra_javascript.append(SEARCH_JS)
        if self.config.link_previews:
            config.extra_javascript.append(PREVIEW_JS)
        self.cache_dir = self._cache_dir(base)
        self.incremental, self.full_why, self.skipped = None, "", []
        if self._dirty_build:
            if self.cache_dir is None:
                self.full_why = "no cache folder (graph_cache_dir is empty)"
            elif unsafe := self._unsafe_plugins(config):
                self.full_why = f"the plugin {unsafe[0]} needs every page"
            else:
                site = Path(config.site_dir).resolve()
                name = hashlib.sha256(str(site).encode()).hexdigest()[:16]
                manifest = self.cache_dir / "builds" / f"{name}.pickle"
                self.incremental = Incremental(manifest, site)
                logging.getLogger("mkdocs").addHandler(self.incremental.capture)
        return config

    @property
    def _dirty_build(self) -> bool:
        """Whether this is ``notegraph build`` (or ``mkdocs build --dirty``): MkDocs keeps
        the site folder, and the plugin renders what changed (or empties it first)."""
        return self.command == "build" and self.dirty and self.config.incremental

    def _unsafe_plugins(self, config: MkDocsConfig) -> list[str]:
        """Plugins that need every page rendered by every build (a tags index, Material's
        own search index): an incremental build would lose the pages it does not render."""
        safe = {"notegraph"} | ({"search", "material/search"} if self._pagefind else set())
        return sorted(set(config.plugins) - safe)

    def _cache_dir(self, base: Path) -> Path | None:
        """Where the layout cache (and the preview's pages) go: `graph_cache_dir` next to
        mkdocs.yml for its own `notes_dir`; for any other vault (the `notegraph` command's),
        a folder of that vault's own inside it, so that one vault's layout never seeds
        another's."""
        if not self.config.graph_cache_dir:
            return None
        in_package = base.is_relative_to(PACKAGE)  # the `notegraph` default
        if self.config.cache:  # the `notegraph` command's --cache
            return Path(self.config.cache).resolve()
        cache = (Path.cwd() if in_package else base) / self.config.graph_cache_dir
        if not in_package and self.vault == (base / self.config.notes_dir).resolve():
            return cache
        digest = hashlib.sha256(str(self.vault).encode()).hexdigest()[:12]
        return cache / "vaults" / f"{slug(self.vault.name, 'vault')}-{digest}"

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # The last event before MkDocs empties site_dir: refuse a folder of the user's.
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        keep = [("the docs folder", Path(config.docs_dir))]
        if config.config_file_path:
            keep.append(("the configuration", Path(config.config_file_path)))
        why = refusal(
            site_dir,
            self.vault,
            keep=keep,
            force=self._force,
            force_hint=f"set {FORCE_ENV}=1 (notegraph build: --force)",
        )
        if why is not None:
            raise PluginError(f"notegraph: not building the site: {why}")
        mark(site_dir)
        if self.incremental is not None:
            self.full_why = self.incremental.begin() or ""

    def _edit_url(self, config: MkDocsConfig, base: Path) -> str:
        if self.config.edit_url is not None:
            return self.config.edit_url
        docs, notes = (
            Path(os.path.relpath(p, base)).as_posix() for p in (config.docs_dir, self.vault)
        )
        try:
            return notes_edit_url(config.repo_url, config.edit_uri, docs, notes)
        except ValueError as error:
            log.warning(f"no 'Edit this note' links: {error}; set the plugin's edit_url")
            return ""

    @property
    def _force(self) -> bool:
        """Whether the site folder may hold files of the user's (deleted by the build)."""
        if self.config.force is not None:  # the `notegraph` command's --force
            return bool(self.config.force)
        return os.environ.get(FORCE_ENV) == "1"  # `mkdocs build` (README)

    @property
    def _workers(self) -> int:
        return self.config.workers or len(os.sched_getaffinity(0))

    @property
    def _pagefind(self) -> bool:
        return self.config.search == "pagefind"

    @property
    def _graphs(self) -> bool:
        return self.config.graph_page or self.config.local_graph

    @property
    def _notes_cache(self) -> Path | None:
        """Where builds keep parsed and linked notes for the next build (``serve`` keeps
        them in memory: its process lives as long as the notes it parses again)."""
        return self.cache_dir if self.command == "build" else None

    def _view_options(self) -> ViewOptions:
        return ViewOptions(
            page=self.config.graph_page,
            local=self.config.local_graph,
            local_depth=self.config.local_graph_depth,
            local_max_nodes=self.config.local_graph_max_nodes,
            kinds=tuple(self.config.graph_kinds),
            colors=self.config.graph_colors,
            folder_colors=self.config.graph_folder_colors,
            max_edges=self.config.graph_max_edges,
            cache_file=self.cache_dir / "layout.json" if self.cache_dir else None,
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        toc = config.mdx_configs.get("toc", {})
        options = Options(
            use_directory_urls=config.use_directory_urls,
            existing=frozenset(file.src_uri for file in files),
            site_name=config.site_name,
            edit_url=self.edit_url,
            require_title=self.config.require_title,
            workers=1 if self.serving else self._workers,
            slugify=toc["slugify"].inner,  # notes report the ids `SafeSlugify` renames
            home_search=any(name in config.plugins for name in ("search", "material/search")),
            cache_dir=self._notes_cache,
            reuse_cache=self._dirty_build,  # a clean build parses and links every note
        )
        self.build = build = build_site(
            self.vault,
            options,
            memo=self.memo if self.serving else None,
            view=self._view_options() if self._graphs else None,
        )
        self.phases.core(build.timings)
        for notice in build.notices:
            log.info(notice)
        site = build.site
        by_command = self.config.vault is not None  # the `notegraph` command
        self.findings.found(site.report, self.vault, self.config.severity, by_command)
        self.note_of = {uri: note for note, uri in site.map.note_uri.items()}
        self.moments = {}
        in_nav = {f"{section}/index.md" for section in SECTIONS} | {"index.md"}
        store = self.cache_dir / "pages" if self.serving and self.cache_dir else None
        self.rebuilds.start(store, nodes_signature(site.G), local_graphs=self.view is not None)
        self.pieces = {}
        for uri in build.pages:
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            if store is None:  # written when MkDocs reads it, in the process that renders it
                write = functools.partial(self._markdown, uri)
                files.append(_PageFile.lazy(config, uri, write, inclusion))
            else:  # on disk, so that `serve --dirty` re-renders only pages that changed
                kept = self.rebuilds.keep(uri, self._markdown(uri))
                files.append(File.generated(config, uri, abs_src_path=kept, inclusion=inclusion))
        for uri, content in build.pages.files.items():
            files.append(File.generated(config, uri, content=content))
        for attachment, uri in site.map.attachment_uri.items():
            rewritten = site.vault.rewritten.get(attachment)  # an SVG, sanitized
            if rewritten is None:
                files.append(File.generated(config, uri, abs_src_path=str(self.vault / attachment)))
            else:
                files.append(File.generated(config, uri, content=rewritten))
        files.append(File.generated(config, CSS, abs_src_path=str(ASSETS / "notegraph.css")))
        files.append(File.generated(config, VIDEO_JS, abs_src_path=str(ASSETS / "video.js")))
        for path, shipped in {DIALECT_JS: "dialect.js", **DIALECT_ASSETS}.items():
            files.append(File.generated(config, path, abs_src_path=str(ASSETS / shipped)))
        if self.config.link_previews:
            files.append(
                File.generated(config, PREVIEW_JS, abs_src_path=str(ASSETS / "preview.js"))
            )
        self.search.start(site, self._pagefind, lambda uri: bool(files.get_file_from_path(uri)))
        if self._pagefind:
            files.append(File.generated(config, SEARCH_JS, abs_src_path=str(ASSETS / "search.js")))
            worker = str(ASSETS / "search-worker.js")
            files.append(File.generated(config, WORKER, abs_src_path=worker))
        for path, shipped in GRAPH_ASSETS.items() if self._graphs else ():
            files.append(File.generated(config, path, abs_src_path=str(ASSETS / shipped)))
        self.findings.log_all()
        # A dirty rebuild keeps every output: delete the pages of renamed or deleted notes
        # (an incremental build does it once it has compared the site with its manifest).
        if not self._dirty_build:
            self.rebuilds.finish(
                Path(config.site_dir),
                {f.abs_dest_path for f in files},
                {f.abs_dest_path for f in files if f.generated_by == "notegraph"},
            )
        self.phases.files_ready()
        if config.nav is None and self.config.nav:
            config.nav = self._nav(files)
        self.outputs = _site_paths(config.site_dir, (f.abs_dest_path for f in files))
        if self._dirty_build:
            self._plan(files, config)
        return files

    def _plan(self, files: Files, config: MkDocsConfig) -> None:
        """What a dirty build renders: every page whose key changed since the last build
        (`incremental`), else every page, in an emptied site folder, as a clean build."""
        for file in files:  # hand-written pages and static files: always (they are few)
            if not isinstance(file, _PageFile):
                file.is_modified = _always  # type: ignore[method-assign]
        incremental = self.incremental
        why = self.full_why
        if incremental is not None:
            assert self.site is not None
            incremental.watch(self.site.report)  # each page's findings, kept with it
            self.env = fingerprint(config, PACKAGE, self._hand_written(config))
            why = why or incremental.check(self.env) or ""
        pages = [file for file in files if isinstance(file, _PageFile)]
        assert self.build is not None
        pages_of = self.build.pages
        inputs: list[str] = []
        if incremental is not None and not why:
            with progress.phase("compare", "page", total=len(pages)):
                inputs = map_forked(
                    lambda f: pages_of.input_key(SrcUri(f.src_uri)), pages, self._workers
                )
            why = _mostly_changed(incremental, pages, inputs)
        if incremental is None or why:
            log.info(f"full build: {why}")
            if incremental is not None:
                incremental.previous = None
            mkdocs_utils.clean_directory(config.site_dir)  # what MkDocs' clean build does
            return

        view = self.build.view_identity
        site_dir = config.site_dir

        def key(job: tuple[_PageFile, str]) -> tuple[str, str]:
            """The page's key and the digest of its local graph's data; the data file is
            rewritten here when only it changed (the page is not rendered again)."""
            file, made_of = job
            uri = SrcUri(file.src_uri)
            digest = incremental.digest(uri, made_of) or self._digest(uri)
            keyed, local = self._key(uri, file.url, made_of, digest)
            before = incremental.previous_local(uri, keyed.key)
            if local is not None and before is not None and before != keyed.local:
                _write(Path(site_dir, local[1]), local[2])
            return keyed.key, keyed.local

        # A page made from the same inputs and graph view keeps its key, known at once
        # without drawing its local graph (most pages, after a small change); the workers
        # compute the others'.
        keys: dict[int, tuple[str, str]] = {}
        for n, (file, made_of) in enumerate(zip(pages, inputs, strict=True)):
            state = incremental.kept(SrcUri(file.src_uri), made_of, view)
            if state is not None:
                keys[n] = (state.key, state.local)
        todo = [n for n in range(len(pages)) if n not in keys]
        with progress.phase("plan", "page", total=len(todo)):
            made = map_forked(key, [(pages[n], inputs[n]) for n in todo], self._workers)
        keys.update(zip(todo, made, strict=True))
        redrawn = 0
        for n, file in enumerate(pages):
            page_key_, local = keys[n]
            file.modified = not incremental.unchanged(file.src_uri, page_key_)
            state = incremental.pages.get(file.src_uri)
            if not file.modified and state is not None and state.local != local:
                state.local, redrawn = local, redrawn + 1
        self.skipped = [file.src_uri for file in pages if not file.modified]
        for uri in self.skipped:
            marked = incremental.pages[uri].marked
            if marked is not None and self._pagefind:
                self.search.marked[uri] = marked
        changed = len(pages) - len(self.skipped)
        graphs = f"; {plural(redrawn, 'local graph')} redrawn alone" if redrawn else ""
        log.info(f"incremental build: {changed} of {plural(len(pages), 'page')} changed{graphs}")

    def _hand_written(self, config: MkDocsConfig) -> list[Path]:
        """Folders of the user's own that every page shows something of: the docs folder
        (hand-written pages, their titles in the navigation) and the theme's overrides."""
        installed = (Path(mkdocs_utils.__file__).parents[1], PACKAGE)
        folders = [Path(config.docs_dir)]
        for folder in map(Path, config.theme.dirs):
            if not any(folder.resolve().is_relative_to(p.parent) for p in installed):
                folders.append(folder)
        return folders

    def _digest(self, uri: SrcUri) -> str:
        """The digest of a generated page's Markdown and raw HTML, written now."""
        assert self.build is not None
        return page_key(*self.build.pages.render(uri))

    def _key(
        self, uri: str, url: str, inputs: str, digest: str
    ) -> tuple[Keyed, tuple[str, str, str] | None]:
        """A generated page's key (`incremental.page_key` of its Markdown's `digest` and
        what its rendering adds: its local graph's section, `GraphView.local_page`, and
        preview) with the data files its rendering writes and the digest of its local
        graph's data; and its local graph."""
        assert self.site is not None
        local = self.view.local_page(url) if self.view is not None else None
        kind = self.search.kind(uri)
        note = self.note_of.get(uri)
        preview = self.config.link_previews and kind is not None
        moments = self._moments(note) if preview and note else 0
        side = ([local[1]] if local else []) + ([preview_path(url)] if preview else [])
        shown = local[:2] if local else None  # the section, and where its data is
        key = page_key(uri, digest, shown, kind, note, moments)
        data = hashlib.sha256(local[2].encode("utf-8")).hexdigest() if local else ""
        return Keyed(key, inputs, digest, side, data), local

    def _moments(self, note: str) -> int:
        """`preview.note_moments` of a note, counted once per build and process (a page's
        link preview and its incremental key both need it)."""
        assert self.site is not None
        if note not in self.moments:
            self.moments[note] = note_moments(self.site, NoteId(note))
        return self.moments[note]

    def _markdown(self, uri: SrcUri) -> str:
        """A generated page's Markdown; its raw HTML waits in `pieces` for `on_page_content`."""
        assert self.build is not None
        markdown, self.pieces[uri] = self.build.pages.render(uri)
        if self._dirty_build:
            self.digests[uri] = page_key(markdown, self.pieces[uri])
        return markdown

    @staticmethod
    def _nav(files: Files) -> list[Any]:
        """Home, the hand-written top-level pages, then one entry per generated section."""
        nav: list[Any] = [{"Home": "index.md"}] if files.get_file_from_path("index.md") else []
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
            if "/" not in file.src_uri and file.src_uri != "index.md" and not file.generated_by:
                nav.append(file.src_uri)
        nav += [
            {title: f"{section}/index.md"}
            for section, title in SECTIONS.items()
            if files.get_file_from_path(f"{section}/index.md")
        ]
        nav += [{"Graph": GRAPH_PAGE}] if files.get_file_from_path(GRAPH_PAGE) else []
        return nav

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation | None:
        if not self.config.enabled or self.site is None:
            return None
        workers = self._workers
        exact = self._dirty_build  # renders what changed, exactly (`incremental`)
        if Prerenderer.usable(config, self.command, self.dirty and not exact, workers):
            in_nav = {id(page) for page in nav.pages}
            pages = [  # each replaces the plain Page that MkDocs made for the file
                PrerenderedPage(None, file, config)
                for file in files.documentation_pages()
                if file.generated_by == "notegraph"
                and id(file.page) not in in_nav
                and file.is_modified()
            ]
            self.prerenderer = Prerenderer(workers, self._collect, self._deliver)
            self.prerenderer.start(pages, config, files, nav)
        # Counted in on_page_content (MkDocs reads and converts every page, or takes what
        # a worker did), then in on_post_page (the theme's template, written to the site).
        self.phases.next("render", len(files.documentation_pages()))
        return nav

    def _collect(self) -> tuple[Any, list[tuple[str, Keyed]]]:
        """In a render worker, after each page: what the main process needs of it."""
        sent, self.sent = self.sent, []
        return self.findings.found_since(), sent

    def _deliver(self, extra: tuple[Any, list[tuple[str, Keyed]]]) -> None:
        found, rendered = extra
        self.findings.from_worker(found)
        for uri, keyed in rendered:
            if self.incremental is not None:
                self.incremental.rendered(uri, keyed)

    def on_env(
        self, env: jinja2.Environment, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment | None:
        if self.config.enabled and self.incremental is not None and os.getpid() == self.pid:
            self.incremental.replay(self.skipped)  # what the log said of them, and found
        if self.config.enabled and self.serving:
            env.bytecode_cache = self.templates
        if self.config.enabled and self.site is not None:
            self.phases.next("write", len(files.documentation_pages()))
        return env

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> None:
        if self.config.enabled:
            server.watch(str(self.vault))

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page | None:
        if self.incremental is not None:  # what the log says now is this page's
            self.incremental.reading(page.file.src_uri, isinstance(page.file, _PageFile))
        # Material's edit button (content.action.edit): the note's source, not a docs path.
        if self.config.enabled and self.edit_url and page.file.src_uri in self.note_of:
            page.edit_url = edit_href(self.note_of[page.file.src_uri], self.edit_url)
        return page

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or not self._pagefind or self.site is None:
            return None
        self.search.read(page.file.src_uri, bool(page.file.generated_by), page.meta)
        return None

    def on_page_content(
        self, html: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        progress.advance()
        if isinstance(page, PrerenderedPage) and page.prerendered:
            return html  # a worker did all of it
        failures = render_failures()  # of Python-Markdown on this page (`guard`)
        if self.site is None:
            return html
        uri = SrcUri(page.file.src_uri)
        if page.file.generated_by == "notegraph":
            assert self.build is not None
            html = self.build.pages.page_html(uri, html, self.pieces.pop(uri, []), failures)
            page.markdown = ""  # not needed any more; at 20,000 pages it adds up
        for failure in failures if not page.file.generated_by else ():  # a hand-written page
            own = Report()  # not a note: logged as it is, not summed up with the vault's
            report_failure(own, uri, "render it", failure, outcome="it shows its Markdown")
            log.error(str(own.diagnostics[0]))
        if os.getpid() == self.pid:  # in a worker, `collect` sends them to the main process
            self.findings.log_since()
        kind = self.search.kind(page.file.src_uri)
        if self.config.link_previews and kind is not None:
            site, title, body = self.site, page.title, html
            note = self.note_of.get(page.file.src_uri)
            guarded(
                site.report,
                site.map.sources.get(uri, uri),
                f"write the link preview of {uri}",
                lambda: _write(
                    Path(config.site_dir, preview_path(page.url)),
                    preview_json(title or "", kind, body, self._moments(note) if note else 0),
                ),
                lambda: None,
                outcome="links to the page show no preview",
            )
        url = page.url
        local: tuple[str, str, str] | None = None
        if self._dirty_build and page.file.generated_by == "notegraph":
            assert self.build is not None
            inputs = self.build.pages.input_key(uri)
            keyed, local = self._key(uri, url, inputs, self.digests.pop(uri, ""))
            self.sent.append((uri, keyed))
            if os.getpid() == self.pid:  # else `_collect` sends it to the main process
                self._deliver(([], self.sent))
                self.sent = []
        if self.view is None:
            return html
        return html + guarded(
            self.site.report,
            self.site.map.sources.get(uri, uri),
            f"draw the local graph of {uri}",
            lambda: self._local_graph(url, config, local),
            str,
            outcome="the page has no local graph",
        )

    def _local_graph(
        self, url: str, config: MkDocsConfig, local: tuple[str, str, str] | None
    ) -> str:
        """The local graph section of a page (`local`, when it is known already); its data
        goes to a file of its own, which the browser fetches when the reader scrolls to it
        (written here, in the process that renders the page, so that workers and live
        preview write their own)."""
        assert self.view is not None
        local = local or self.view.local_page(url)
        if local is None:
            return ""
        section, path, data = local
        _write(Path(config.site_dir, path), data)
        return section

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        progress.advance()
        if not self.config.enabled:
            return output
        if isinstance(page, PrerenderedPage) and page.written:
            self.search.written_elsewhere(page.file.src_uri, page.file.dest_uri)
            return ""  # a worker wrote it, after this event (`prerender`)
        title = html.unescape(page.title or "")
        return self.search.write(page.file.src_uri, page.file.dest_uri, output, title)

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str | None:
        if self.config.enabled and template_name.endswith(".html"):
            return self.search.written(output_content)  # 404.html
        return output_content

    def _summary(self, config: MkDocsConfig, seconds: float) -> str:
        """The build's last line: what it built, how long it took, where the site is."""
        assert self.build is not None
        done = (
            f"{'rebuilt' if self.serving and self.builds > 1 else 'built'} "
            f"{self.build.summary()}, "
            f"{plural(self.findings.failing, 'warning')} in {seconds:.1f} s"
        )
        if self.serving:
            return done
        site = quoted(Path(config.site_dir))
        return (
            f"{done}; the site is in {site} (preview it: python -m http.server -d {site}, "
            "then open http://localhost:8000/)"
        )

    def _stop_capture(self) -> None:
        if self.incremental is not None:
            logging.getLogger("mkdocs").removeHandler(self.incremental.capture)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_capture()
        self.phases.next("")
        install(None)
        self._stop_workers()
        self.findings.sum_up_failed()  # what was found before it failed

    def _stop_workers(self) -> None:
        if self.prerenderer is not None:
            self.prerenderer.close()
            self.prerenderer = None

    def on_post_build(self, config: MkDocsConfig) -> None:
        by_workers = self.prerenderer.rendered if self.prerenderer is not None else 0
        self.memo.sweep()
        log.debug(f"{by_workers} pages rendered by workers")
        self._stop_workers()
        self._stop_capture()
        self.phases.next("")
        if not self.config.enabled or self.site is None:
            return
        site_dir = Path(config.site_dir)
        incremental = self.incremental
        if incremental is not None:  # files of the last build that this one did not write
            stale = [str(path) for path in incremental.stale(self.outputs)]
            remove_stale(site_dir, stale, ())
        if self._pagefind:
            if incremental is not None:  # listed while Pagefind indexes it
                incremental.list_site(OUTPUT)
            self._index(config)
        if incremental is not None:
            assert self.build is not None
            marked = self.search.marked if self._pagefind else {}
            incremental.finish(self.env, self.build.view_identity, self.outputs, marked)
        install(None)
        self.findings.sum_up()
        log.info(self._summary(config, self.phases.end()))
        self.phases.dump(by_workers)  # per-phase seconds, for benchmarks/run.py

    def _index(self, config: MkDocsConfig) -> None:
        options: dict[str, Any] = {
            "use_directory_urls": config.use_directory_urls,
            "shard_bytes": round(self.config.search_shard_mb * 2**20),
            "jobs": 1 if self.serving else self._workers,
        }
        if self.serving:  # the page reloads now, search follows
            if self.search.background.error is not None:
                log.warning(f"search index: {self.search.background.error}")
            self.search.index(Path(config.site_dir), **options, serving=True)
            return
        # An incremental build keeps the Pagefind runs whose pages did not change.
        runs = self.incremental.runs_file if self.incremental is not None else None
        try:
            with self.phases.timed("search"):
                done = self.search.index(
                    Path(config.site_dir), **options, serving=False, runs_file=runs
                )
        except PagefindError as error:
            raise PluginError(f"notegraph: search index: {error}") from error
        if done is not None and done.kept:
            log.info(
                f"search: {done.kept} of {plural(done.runs, 'Pagefind run')} kept from the "
                "last build (their pages did not change)"
            )


def _site_paths(site_dir: str, paths: Iterable[str]) -> list[str]:
    """The paths inside `site_dir`, relative to it, sorted: computed, not looked up (50,000
    files on a large vault), the same way in every build.

    >>> _site_paths("/s", ["/s/a/index.html", "/s/../t/b.html", "/s/..c.html"])
    ['..c.html', 'a/index.html']
    """
    base = os.path.join(os.path.abspath(site_dir), "")  # ends with the separator
    inside = (os.path.abspath(path) for path in paths)
    return sorted(
        path[len(base) :].replace(os.sep, "/") for path in inside if path.startswith(base)
    )


def _mostly_changed(incremental: Incremental, pages: list[_PageFile], inputs: list[str]) -> str:
    """Why a full build is faster, if it is: when nearly all generated pages whose inputs
    are known (90 %) are written from other inputs than the last build's (a renamed note
    changes the addresses any page may link to), each would be written twice, to know
    whether its Markdown changed, then to render it. "" when it is not."""
    previous = incremental.previous.pages if incremental.previous is not None else {}
    changed = known = 0
    for file, made_of in zip(pages, inputs, strict=True):
        if made_of:  # "": not known (written, and compared, whatever)
            old = previous.get(file.src_uri)
            known += 1
            changed += old is None or old.inputs != made_of
    if not known or changed * 10 < known * 9:
        return ""
    return f"{changed} of {plural(known, 'page')} are written from other inputs"


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """Drops MkDocs' "A 'dirty' build is being performed" warning: the plugin re-renders
    every page a save changes and deletes the pages it no longer generates, so its live
    preview is right (and ``--strict`` must not count a warning about nothing)."""
    return not str(record.msg).startswith(
        ("A 'dirty' build is being performed", "The directory contains stale files")
    )


def _always() -> bool:
    """`File.is_modified` of a file that every dirty build writes again."""
    return True


def _write(path: Path, text: str) -> None:
    """Write a data file of the site (a page's preview or local graph) as the page renders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")

"""The MkDocs adapter: each event hands work to the core and returns.

Sequence: ``on_config`` finds the vault and the Markdown extensions the pages need;
``on_files`` runs the whole core pipeline (parse, resolve, graph, pages) before any page is
rendered and adds every generated page as a real MkDocs file; ``on_serve`` watches the vault;
``on_post_build`` prints the one-line summary.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .config import NotegraphConfig
from .report import Diagnostic
from .site import SECTIONS, Options, Site, build_site

log = get_plugin_logger("notegraph")

ASSETS = Path(__file__).parent / "assets"
CSS = "assets/notegraph/notegraph.css"
EXTENSIONS = ("attr_list", "md_in_html", "toc", "tables")


class NotegraphPlugin(BasePlugin[NotegraphConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.vault = Path()
        self.site: Site | None = None
        self.started = 0.0
        self.rendered = 0

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.started = time.perf_counter()
        base = Path(config.config_file_path or ".").resolve().parent
        self.vault = (base / os.environ.get("NOTEGRAPH_VAULT", self.config.notes_dir)).resolve()
        if not self.vault.is_dir():
            raise PluginError(f"notegraph: notes folder '{self.vault}' does not exist")
        for extension in EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.append(CSS)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        toc = config.mdx_configs.get("toc", {})
        options = Options(
            use_directory_urls=config.use_directory_urls,
            existing=frozenset(file.src_uri for file in files),
            site_name=config.site_name,
            **({"slugify": toc["slugify"]} if "slugify" in toc else {}),
        )
        self.site = site = build_site(self.vault, options)
        in_nav = {f"{section}/index.md" for section in SECTIONS} | {"index.md"}
        for uri, text in site.pages.items():
            inclusion = InclusionLevel.UNDEFINED if uri in in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=text, inclusion=inclusion))
        for uri, content in site.files.items():
            files.append(File.generated(config, uri, content=content))
        for attachment, uri in site.attachment_uri.items():
            files.append(File.generated(config, uri, abs_src_path=str(self.vault / attachment)))
        files.append(File.generated(config, CSS, abs_src_path=str(ASSETS / "notegraph.css")))
        for diagnostic in site.report.sorted():
            self._log(diagnostic)
        if config.nav is None and self.config.nav:
            config.nav = self._nav(files)
        return files

    def _log(self, diagnostic: Diagnostic) -> None:
        path = self.vault / diagnostic.path
        shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
        message = str(diagnostic).replace(diagnostic.path, shown, 1)
        if diagnostic.level == "info":
            log.info(message)
        else:
            log.warning(message)

    @staticmethod
    def _nav(files: Files) -> list[Any]:
        """Home, the hand-written top-level pages, then one entry per generated section."""
        nav: list[Any] = [{"Home": "index.md"}] if files.get_file_from_path("index.md") else []
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
            if "/" not in file.src_uri and file.src_uri != "index.md" and not file.generated_by:
                nav.append(file.src_uri)
        nav += [{title: f"{section}/index.md"} for section, title in SECTIONS.items()]
        return nav

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> None:
        if self.config.enabled:
            server.watch(str(self.vault))

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if self.config.enabled and sys.stderr.isatty():
            self.rendered += 1
            if self.rendered % 25 == 0:
                sys.stderr.write(f"\rnotegraph: {self.rendered} pages rendered")
                sys.stderr.flush()
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        if not self.config.enabled or self.site is None:
            return
        if self.rendered >= 25 and sys.stderr.isatty():
            sys.stderr.write("\r\033[K")
        log.info(f"built {self.site.summary(time.perf_counter() - self.started)}")

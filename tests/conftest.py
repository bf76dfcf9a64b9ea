"""Fixtures for whole-site tests: write a vault and an mkdocs.yml into a temporary folder, build.

`build_vault(name, notes)` is the one most tests need: it writes `notes` (vault path -> text or
bytes) into ``<tmp>/vault``, a one-page ``docs/`` and an ``mkdocs.yml`` (Material, search,
notegraph), builds with the MkDocs API and returns a `Built`: where the site is and what the
build logged. Session-scoped factories, so that module-scoped fixtures can share one build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config


@dataclass
class Built:
    """A built site: its project folder, its output folder and the records MkDocs logged."""

    root: Path
    site_dir: Path
    use_directory_urls: bool
    records: list[logging.LogRecord]

    @property
    def warnings(self) -> list[str]:
        """Everything the build warned about, one message each: notegraph's findings of level
        warning or error (logged one by one at debug level, then summed up in one warning,
        `grouped`), and every other warning (MkDocs', other plugins')."""
        found = []
        for record in self.records:
            finding = getattr(record, "finding", None)
            if finding is not None and finding.level != "info":
                found.append(record.getMessage())
            elif record.levelno >= logging.WARNING and not getattr(record, "grouped", False):
                found.append(record.getMessage())  # the grouped one repeats the findings
        return found

    @property
    def grouped(self) -> list[str]:
        """The warning that sums up notegraph's findings at the end of the build (or none)."""
        return [r.getMessage() for r in self.records if getattr(r, "grouped", False)]

    @property
    def messages(self) -> list[str]:
        """Every record, debug ones included."""
        return [r.getMessage() for r in self.records]

    def url(self, src_uri: str) -> str:
        """Site-relative URL MkDocs gives a page source (``notes/a.md`` -> ``notes/a/``)."""
        stem = src_uri.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            folder = stem.removesuffix("index")
            return folder if self.use_directory_urls else f"{folder}index.html"
        return f"{stem}/" if self.use_directory_urls else f"{stem}.html"

    def file(self, url: str) -> Path:
        """Output file of a site-relative URL (``notes/a/`` -> ``<site>/notes/a/index.html``)."""
        path = self.site_dir / url
        return path / "index.html" if url == "" or url.endswith("/") else path

    def page(self, src_uri: str) -> Path:
        """Output file of a page source (``notes/a.md``)."""
        return self.file(self.url(src_uri))


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write each (path inside `folder` -> text or bytes), making folders; returns `folder`."""
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def _write_project(root: Path, notes: Mapping[str, str | bytes], use_directory_urls: bool) -> Path:
    write_files(root / "vault", notes)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Fixture home\n\nA hand-written home page.\n")
    config = {
        "site_name": "Fixture vault",
        "docs_dir": "docs",
        "use_directory_urls": use_directory_urls,
        "theme": {"name": "material"},
        "plugins": ["search", {"notegraph": {"notes_dir": "vault"}}],
    }
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def _build(config_file: Path, site_dir: Path, strict: bool) -> Built:
    """Build like ``mkdocs build`` does, collecting every record the ``mkdocs`` logger gets."""
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)  # findings are logged one by one at debug level
    try:
        cfg = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    except Exception as error:
        error.add_note("logged:\n" + "\n".join(r.getMessage() for r in handler.records))
        raise
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return Built(
        root=config_file.parent,
        site_dir=site_dir,
        use_directory_urls=cfg.use_directory_urls,
        records=handler.records,
    )


BuildVault = Callable[..., Built]


@pytest.fixture(scope="session")
def build_config() -> Callable[..., Built]:
    """Build an existing ``mkdocs.yml``: ``build_config(config_file, site_dir, strict=False)``."""

    def run(config_file: Path, site_dir: Path, strict: bool = False) -> Built:
        return _build(Path(config_file), Path(site_dir), strict)

    return run


@pytest.fixture(scope="session")
def build_vault(tmp_path_factory: pytest.TempPathFactory) -> BuildVault:
    """Write a vault into a fresh temporary project and build it.

    ``build_vault(name, notes, use_directory_urls=True, strict=False) -> Built``
    """

    def run(
        name: str,
        notes: Mapping[str, str | bytes],
        use_directory_urls: bool = True,
        strict: bool = False,
    ) -> Built:
        root = tmp_path_factory.mktemp(name)
        config_file = _write_project(root, notes, use_directory_urls)
        return _build(config_file, root / "site", strict)

    return run

"""Incremental builds: a build renders again only the pages whose inputs changed.

``notegraph build`` keeps a manifest of each build in its cache folder (`Manifest`): what
each generated page was made from (`page_key`: its Markdown, its raw HTML, its local graph
and link preview's data, its note), the files the build wrote, what its log said about each
page, and an `inventory` of the site folder. The next build into the same folder runs the
core as usual, then asks MkDocs for a dirty build in which only the pages whose key changed
are rendered; the others keep their files. The site is the same, byte for byte, as a clean
build of the same notes (``tests/test_incremental.py`` checks it after random edits).

Anything the keys do not cover is the `fingerprint` of the build: the versions and code of
notegraph, MkDocs, the theme and Markdown; the whole configuration (the navigation with it);
the hand-written pages and templates. When it differs, or the manifest is missing or
unreadable, or the site folder is not as the last build left it, the build is a full one,
and says why in one line (`Incremental.begin`). A build that fails leaves no manifest, so
the next one is full. What the log said and the findings the report got while a page was
rendered are kept with it, and repeated when a build does not render it again.

Hand-written pages are rendered by every build (their titles show in every page's
navigation), and every static file is copied again: both are few.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from notegraph.core.base.parallel import Forked
from notegraph.core.base.report import Diagnostic, Report

__all__ = [
    "FORMAT",
    "Incremental",
    "Keyed",
    "Manifest",
    "PageState",
    "fingerprint",
    "inventory",
    "page_key",
    "tree_digest",
]

FORMAT = 4
"""Version of the manifest's layout; another one is read as no manifest."""
DISTRIBUTIONS = (
    "mkdocs",
    "mkdocs-material",
    "Markdown",
    "pymdown-extensions",
    "Jinja2",
    "nh3",
    "networkx",
    "pyvis",
    "pagefind",
    "pagefind-bin-extended",
    "python-frontmatter",
    "PyYAML",
)
"""Distributions whose version changes what a page looks like (notegraph's own code is
hashed, file by file, so that an edit to it counts without a new version)."""
UNSTABLE_OPTIONS = frozenset({"docs_dir", "config_file_path", "strict", "watch", "dev_addr"})
"""Options left out of the fingerprint: paths of temporary folders (the built-in
configuration's docs folder, whose content is hashed instead), and what changes no page."""
_DOC_FILE = re.compile(r"^Doc file '([^']+)'")


def page_key(*parts: Any) -> str:
    """The digest of what a generated page is made from (JSON of `parts`).

    >>> page_key("notes/a.md", "# A", []) == page_key("notes/a.md", "# A", [])
    True
    >>> page_key("notes/a.md", "# A", []) == page_key("notes/a.md", "# B", [])
    False
    """
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tree_digest(folder: Path) -> str:
    """A digest of every file below `folder`: its path and its bytes ("" when no folder)."""
    if not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _plain(value: Any, depth: int = 0) -> Any:
    """`value` as JSON data: mappings (configurations, themes) and sequences as such, a
    plugin as its class and options, any other object as its type's name."""
    if depth > 20:
        return "…"
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "config") and hasattr(value, "on_config"):  # a plugin
        unstable: frozenset[str] = getattr(value, "unstable_options", frozenset())
        config = {k: v for k, v in value.config.items() if k not in unstable}
        return {"plugin": _type_name(value), "config": _plain(config, depth + 1)}
    if isinstance(value, Mapping) or hasattr(value, "items"):
        return {str(k): _plain(v, depth + 1) for k, v in sorted(value.items(), key=_by_key)}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v, depth + 1) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value]
    return _type_name(value)


def _by_key(item: tuple[Any, Any]) -> str:
    return str(item[0])


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def fingerprint(options: Mapping[str, Any], package: Path, folders: Iterable[Path]) -> str:
    """The digest of everything that changes the pages but their keys: the configuration's
    `options` (but `UNSTABLE_OPTIONS`), notegraph's code (`package`), the versions of
    `DISTRIBUTIONS` and Python, and the files of `folders` (hand-written pages, templates)."""
    versions = {}
    for name in DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    data = {
        "format": FORMAT,
        "python": sys.version,
        "versions": versions,
        "code": tree_digest(package),
        "options": {k: _plain(v) for k, v in options.items() if k not in UNSTABLE_OPTIONS},
        "folders": [tree_digest(folder) for folder in folders],
    }
    return page_key(data)


def inventory(
    site_dir: Path, skip: Collection[str] = (), only: Collection[str] | None = None
) -> dict[str, list[int]]:
    """Every file of the site folder (but hidden entries of its root, which MkDocs' clean
    keeps) with its size and modification time in whole seconds (an archive, as CI's cache
    is, may keep no more). Symbolic links are listed, not followed. Entries of the root
    named in `skip` are left out; with `only`, all others are."""
    found: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            listed = sorted(entries, key=lambda entry: entry.name)
        for entry in listed:
            if not prefix and (
                entry.name.startswith(".")
                or entry.name in skip
                or (only is not None and entry.name not in only)
            ):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            else:
                stat = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = [stat.st_size, int(stat.st_mtime)]

    if site_dir.is_dir():
        walk(str(site_dir), "")
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Keyed:
    """What decides whether a generated page is rendered again (see `PageState`)."""

    key: str
    inputs: str
    digest: str
    side: list[str]
    local: str = ""
    """Digest of the data of its local graph ("": none), which its key leaves out."""


@dataclass
class PageState:
    """What the manifest keeps of one generated page."""

    key: str
    inputs: str = ""
    """`Pages.input_key` of the page ("": its inputs are not known)."""
    digest: str = ""
    """Digest of its Markdown, which the same `inputs` give again."""
    side: list[str] = field(default_factory=list)
    """Site paths of the data files its rendering wrote (preview, local graph)."""
    local: str = ""
    """Digest of the data of its local graph in the site ("": none). The page's key holds
    where that data is, not what it is: a change of the graph alone rewrites the data file
    and leaves the page as it is."""
    records: list[list[Any]] = field(default_factory=list)
    """``[logger, level, message]`` of what the log said while it was rendered."""
    findings: list[list[Any]] = field(default_factory=list)
    """The findings its rendering added to the build's report (`Diagnostic` fields)."""
    marked: str | None = None
    """Its file in the site when search indexes it."""


@dataclass
class Manifest:
    """One build into one site folder, as the next build needs it."""

    env: str = ""
    site: str = ""
    view: str = ""
    """`ViewedGraph.identity` of the graph view the pages' local graphs were drawn from."""
    pages: dict[str, PageState] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    """Site paths of the files MkDocs was given (pages, assets, data)."""
    files: dict[str, list[int]] = field(default_factory=dict)
    """The site folder after the build (`inventory`)."""

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "env": self.env,
            "site": self.site,
            "view": self.view,
            "pages": {uri: vars(state) for uri, state in sorted(self.pages.items())},
            "outputs": sorted(self.outputs),
            "files": self.files,
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("wb") as file:  # written as it is made: not one more copy
            pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Raises ValueError (or OSError) for a manifest that cannot be used.

        The manifest of a 47,000-page site is tens of megabytes of plain data (strings,
        numbers, lists and dicts), which pickle writes and reads several times faster than
        JSON; `_Plain` makes nothing else of it."""
        with path.open("rb") as file:
            try:
                data = _Plain(file).load()
            except Exception as error:  # anything a damaged file can raise
                raise ValueError(f"it is damaged ({type(error).__name__}: {error})") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("it was written by another version of notegraph")
        try:
            return cls(
                env=str(data["env"]),
                site=str(data["site"]),
                view=str(data["view"]),
                pages={str(uri): PageState(**state) for uri, state in data["pages"].items()},
                outputs=[str(p) for p in data["outputs"]],
                files=_paths(data["files"]),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"it is damaged ({error})") from error


def _paths(files: Any) -> dict[str, list[int]]:
    """The manifest's listing of the site folder: its paths checked (the listing is only
    compared with a new one, where any other value is a difference)."""
    if not isinstance(files, dict) or not all(type(path) is str for path in files):
        raise TypeError("its listing of the site folder is not one")
    return files


class _Plain(pickle.Unpickler):
    """Reads plain data only: no class or function of any module."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name}: a manifest holds plain data only")


class Incremental:
    """One build's side of an incremental build: what the build before it left
    (`previous`), and what this one records for the next (`pages`)."""

    def __init__(self, path: Path, site_dir: Path) -> None:
        self.path = path
        self.site_dir = site_dir.resolve()
        self.previous: Manifest | None = None
        self.pages: dict[str, PageState] = {}
        self.current = ""  # the page being read or rendered (its log records are its own)
        self.replaying = False
        self.report: Report | None = None  # the build's, once `watch` is called
        self.mark = 0  # how many findings the report held when the current page was read
        self.capture = _Capture(self)
        self._listing: Forked[dict[str, list[int]]] | None = None
        """The `inventory` of the site folder, made while other work goes on (`begin`,
        `list_site`)."""
        self._later = ""  # the folder `finish` lists itself
        self.runs_file = path.with_name(path.stem + ".pagefind.json")
        """What the search index in place was made from (`search.pagefind.RunsFile`)."""

    def begin(self) -> str | None:
        """Read the manifest of the last build (and remove it: a build that fails leaves
        none); None when it can be used so far, else why not, in a few words."""
        try:
            self.previous = Manifest.load(self.path)
        except FileNotFoundError:
            return "no earlier build in the cache"
        except (OSError, ValueError) as error:
            return f"the cache cannot be used: {error}"
        finally:
            self.path.unlink(missing_ok=True)
        if self.previous.site != str(self.site_dir):
            self.previous = None
            return "the cache was built into another site folder"
        self._listing = Forked(inventory, self.site_dir)  # nothing writes there before `check`
        return None

    def check(self, env: str) -> str | None:
        """Why the build must be a full one, now that its fingerprint is known; None: it
        renders only what changed."""
        previous = self.previous
        if previous is None:
            return "no earlier build in the cache"
        listing, self._listing = self._listing, None
        if previous.env != env:
            if listing is not None:
                listing.close()
            return "the configuration, the hand-written pages or the versions changed"
        found = listing.result() if listing is not None else inventory(self.site_dir)
        if found != previous.files:
            names = found.keys() | previous.files.keys()
            changed = sorted(n for n in names if found.get(n) != previous.files.get(n))
            return (
                f"the site folder changed since the last build ({len(changed)} files differ, "
                f"{changed[0]} first)"
            )
        return None

    def unchanged(self, uri: str, key: str) -> bool:
        """Whether the page was made from the same inputs by the last build (it keeps its
        files); its state carries over."""
        old = self.previous.pages.get(uri) if self.previous is not None else None
        if old is None or old.key != key:
            return False
        self.pages[uri] = old
        return True

    def watch(self, report: Report) -> None:
        """The build's report: what each page's rendering adds to it is kept with the page,
        and added again by the next build if it does not render the page (`replay`).

        A finding of rendering names the page's own note (an embed cycle, a page that
        Markdown could not render), so no two pages add the same one."""
        self.report, self.mark = report, len(report.diagnostics)

    def reading(self, uri: str, generated: bool) -> None:
        """A page this build renders is read: what the log says and the report gets from
        now on is its own (a `generated` one's is kept for the next build)."""
        self.done_reading()
        self.current = uri
        if generated:
            self.pages[uri] = PageState("")

    def done_reading(self) -> None:
        """The page being read is done with (MkDocs reads and renders every page before it
        writes any): the findings its rendering added are its own."""
        report, state = self.report, self.pages.get(self.current)
        if report is None:
            return
        if state is not None:
            state.findings.extend(_fields(d) for d in report.diagnostics[self.mark :])
        self.current, self.mark = "", len(report.diagnostics)

    def kept(self, uri: str, inputs: str, view: str) -> PageState | None:
        """The page's state in the last build when its key and local graph are bound to be
        the same now: the page is written from the same known `inputs`, and its local graph
        from the same `view` (its key's other parts follow from them); else None."""
        previous = self.previous
        old = previous.pages.get(uri) if previous is not None else None
        if previous is None or old is None or not inputs or old.inputs != inputs:
            return None
        return old if previous.view == view else None

    def previous_local(self, uri: str, key: str) -> str | None:
        """The digest of the local graph data the last build wrote for the page, if it
        had the same `key` (it is not rendered again)."""
        old = self.previous.pages.get(uri) if self.previous is not None else None
        return old.local if old is not None and old.key == key else None

    def digest(self, uri: str, inputs: str) -> str | None:
        """The digest of the page's Markdown when the last build wrote it from the same
        `inputs`, else None (write it to know)."""
        old = self.previous.pages.get(uri) if self.previous is not None else None
        return old.digest if inputs and old is not None and old.inputs == inputs else None

    def rendered(self, uri: str, keyed: Keyed) -> None:
        """A page rendered by this build: its key and the data files it wrote."""
        state = self.pages.setdefault(uri, PageState(keyed.key))
        state.key, state.inputs, state.digest = keyed.key, keyed.inputs, keyed.digest
        state.side, state.local = sorted(keyed.side), keyed.local

    def replay(self, skipped: Iterable[str]) -> None:
        """Log again what the log said while the pages not rendered now were rendered, and
        add their findings to the report, so that this build's warnings (and ``--strict``)
        are those of a full build."""
        self.done_reading()
        self.replaying = True
        try:
            for uri in sorted(skipped):
                for name, level, message in self.pages[uri].records:
                    logging.getLogger(name).log(level, message)
                if self.report is not None:
                    self.report.extend(Diagnostic(*fields) for fields in self.pages[uri].findings)
        finally:
            self.replaying = False
            self.mark = len(self.report.diagnostics) if self.report is not None else 0

    def stale(self, outputs: Iterable[str]) -> list[Path]:
        """Files of the last build that this one did not write: the pages and data of notes
        deleted or renamed, data files a page no longer has."""
        if self.previous is None:
            return []
        now = set(outputs) | {p for state in self.pages.values() for p in state.side}
        before = set(self.previous.outputs)
        before.update(p for state in self.previous.pages.values() for p in state.side)
        return [self.site_dir / p for p in sorted(before - now)]

    def list_site(self, later: str) -> None:
        """Start listing the site folder, but its folder `later` (another step still
        writes it: the search index), which `finish` lists itself."""
        self._listing, self._later = Forked(inventory, self.site_dir, (later,)), later

    def finish(
        self, env: str, view: str, outputs: Iterable[str], marked: Mapping[str, str]
    ) -> None:
        """The build is done: write the manifest the next build reads."""
        for uri, state in self.pages.items():
            state.marked = marked.get(uri)
        listing, self._listing = self._listing, None
        if listing is not None:
            files = listing.result() | inventory(self.site_dir, only=(self._later,))
        else:
            files = inventory(self.site_dir)
        manifest = Manifest(
            env=env,
            site=str(self.site_dir),
            view=view,
            pages=self.pages,
            outputs=sorted(outputs),
            files=dict(sorted(files.items())),
        )
        manifest.save(self.path)


def _fields(diagnostic: Diagnostic) -> list[Any]:
    d = diagnostic
    return [d.path, d.line, d.col, d.level, d.message, d.code]


class _Capture(logging.Handler):
    """Keeps, page by page, what MkDocs and other plugins log while the page is read and
    rendered (``Doc file 'X' ...`` messages are X's, whenever they come)."""

    def __init__(self, owner: Incremental) -> None:
        super().__init__(logging.INFO)
        self.owner = owner

    def emit(self, record: logging.LogRecord) -> None:
        if self.owner.replaying or record.name.startswith("mkdocs.plugins.notegraph"):
            return  # notegraph's findings: the core finds them again every build
        message = record.getMessage()
        found = _DOC_FILE.match(message)
        uri = found.group(1) if found else self.owner.current
        state = self.owner.pages.get(uri)
        if state is not None:
            state.records.append([record.name, record.levelno, message])

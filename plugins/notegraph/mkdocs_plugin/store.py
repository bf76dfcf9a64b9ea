"""Generated pages kept on disk between rebuilds, rewritten only when their text changes.

Under ``serve --dirty`` MkDocs re-renders only files whose source is newer than their
output. Generated pages have no source file, so MkDocs would render all of them on every
save; `PageStore` gives each one a file whose modification time moves only when the page's
Markdown changes, so a one-note edit re-renders that note and the pages that link to it.

A dirty build also never deletes an output: `remove_stale` deletes what an earlier build
generated and this one no longer does (the page of a renamed or deleted note).
`DirtyBuilds` keeps what one build must know of the one before for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["DirtyBuilds", "PageStore", "remove_stale"]


def remove_stale(site_dir: Path, previous: Iterable[str], current: Iterable[str]) -> list[str]:
    """Delete the files of `previous` that are not in `current`, and the folders that leaves
    empty; only inside `site_dir`. Returns the deleted files, sorted.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> for name in ("a/index.html", "b/index.html"):
    ...     (site / name).parent.mkdir()
    ...     _ = (site / name).write_text("x")
    >>> outside = str(site.parent / "elsewhere.html")
    >>> old = [str(site / "a/index.html"), str(site / "b/index.html"), outside]
    >>> [Path(p).relative_to(site).as_posix() for p in remove_stale(site, old, old[1:2])]
    ['a/index.html']
    >>> sorted(p.name for p in site.iterdir())
    ['b']
    """
    root = site_dir.resolve()
    removed: list[str] = []
    for name in sorted(set(previous) - set(current)):
        path = Path(name).resolve()
        if not path.is_relative_to(root) or path == root or not path.is_file():
            continue
        path.unlink()
        removed.append(name)
        folder = path.parent
        while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed


class PageStore:
    """A folder of generated Markdown, one file per page source path."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def path(self, src_uri: str) -> Path:
        """Where the page is kept; never outside the folder, whatever `src_uri` holds."""
        path = (self.folder / src_uri).resolve()
        if not path.is_relative_to(self.folder):
            raise ValueError(f"page path {src_uri!r} leaves the page store")
        return path

    def put(self, src_uri: str, text: str, touch: bool = False) -> Path:
        """Keep `text` for `src_uri`; the file is only written (and its time moved) if it
        changed, or when `touch` says the page must be rendered again all the same.

        >>> import tempfile
        >>> store = PageStore(Path(tempfile.mkdtemp()))
        >>> first = store.put("notes/a.md", "A").stat().st_mtime_ns
        >>> store.put("notes/a.md", "A").stat().st_mtime_ns == first
        True
        """
        path = self.path(src_uri)
        data = text.encode("utf-8")
        if not touch and path.is_file() and path.read_bytes() == data:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        return path


class DirtyBuilds:
    """What a build needs from the build before it, under ``serve --dirty``: the files it
    generated (to delete those this one no longer does) and the graph's nodes (a note
    added, deleted or renamed changes the local graphs of pages whose Markdown stays the
    same: every page is rendered again then)."""

    def __init__(self) -> None:
        self.outputs: set[str] = set()  # files the last build generated
        self.nodes = ""  # `nodes_signature` of the last build's graph
        self.store: PageStore | None = None
        self.touch = False  # whether this build renders every page again

    def start(self, store: Path | None, nodes: str, local_graphs: bool) -> None:
        """A new build, keeping its pages in `store` (None: pages stay in memory), whose
        graph has `nodes` (`nodes_signature`)."""
        self.store = PageStore(store) if store is not None else None
        seen, self.nodes = self.nodes, nodes
        self.touch = local_graphs and seen not in ("", nodes)

    def keep(self, src_uri: str, text: str) -> str:
        """Where the page's Markdown is kept (`store`): its file, rewritten if it changed."""
        assert self.store is not None
        return str(self.store.put(src_uri, text, self.touch))

    def finish(self, site_dir: Path, outputs: Iterable[str], generated: Iterable[str]) -> None:
        """The build's files are known (`outputs`, of which it `generated` some): delete
        what the build before generated and this one does not."""
        remove_stale(site_dir, self.outputs, outputs)
        self.outputs = set(generated)

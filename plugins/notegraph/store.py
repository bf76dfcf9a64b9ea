"""Generated pages kept on disk between rebuilds, rewritten only when their text changes.

Under ``serve --dirty`` MkDocs re-renders only files whose source is newer than their
output. Generated pages have no source file, so MkDocs would render all of them on every
save; `PageStore` gives each one a file whose modification time moves only when the page's
Markdown changes, so a one-note edit re-renders that note and the pages that link to it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["PageStore"]


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

    def put(self, src_uri: str, text: str) -> Path:
        """Keep `text` for `src_uri`; the file is only written (and its time moved) if it changed.

        >>> import tempfile
        >>> store = PageStore(Path(tempfile.mkdtemp()))
        >>> first = store.put("notes/a.md", "A").stat().st_mtime_ns
        >>> store.put("notes/a.md", "A").stat().st_mtime_ns == first
        True
        """
        path = self.path(src_uri)
        data = text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        return path

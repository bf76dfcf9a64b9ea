"""What a build made of each note, kept on disk for the next: a one-note change parses and
links one note.

`ParseCache` keeps parsed notes for the life of a process (``serve``); a ``notegraph build``
in CI is a new process every time, and reading and linking 21,000 notes is two minutes of
CPU. A `NoteStore` is a folder of the build's cache with what one step made of each note
(`ParseCache.parse_many`: the parsed notes, in ``parses/``; `links.link_vault`: their
resolved links, in ``links/``), in `SHARDS` files by the digest of each note's path. Each
entry is the SHA-1 of the note's text, what the step made of it and what it reported, so an
entry is used only for the very same text. A build after a one-note change reads the files
and rewrites one.

An entry is also only as good as the code that made it and what else it was made from.
Every file starts with a header: the layout of the store (`FORMAT`), a digest of notegraph's
code, the versions of Python and of the libraries parsing uses (`DISTRIBUTIONS`), and the
step's `context` (the slugify function, for heading anchors; for links, every name a link
may resolve to as well). A file with another header is ignored and written again; one that
cannot be read (cut short, not a pickle, objects notegraph does not make) is ignored and
reported in one line: its notes are made again, the build goes on.

Files are written whole and then renamed into place, so a build that stops midway leaves
the old file or the new one. They are read with `_Unpickler`, which makes only notegraph's
own classes and plain data: a store is the build's own cache, trusted like its code (CI keeps
it per branch), and still cannot make a loaded file run anything.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Hashable, Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, cast

__all__ = ["NoteStore", "Entry", "shard_of", "code_digest"]

Entry = tuple[str, Any, tuple[Any, ...]]
"""(SHA-1 of the text, what it parsed to, the diagnostics its parse reported)."""

MARK = "notegraph parsed notes"
"""What every file of a store starts with: only such files are ever removed."""
FORMAT = 1
SHARDS = 256
DISTRIBUTIONS = ("PyYAML", "Markdown", "pymdown-extensions", "nh3", "defusedxml")
"""Libraries whose version may change what a note parses to."""

_PLAIN = (
    {
        ("builtins", name)
        for name in ("set", "frozenset", "bytearray", "complex", "slice", "range", "object")
    }
    | {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}
    | {
        ("array", "array"),
        ("array", "_array_reconstructor"),
        ("copyreg", "_reconstructor"),
        ("collections", "OrderedDict"),
    }
)
"""What a parsed note may hold besides notegraph's classes: frontmatter values
(YAML's dates, sets, binary) and the arrays of `video.Stamps`."""


def shard_of(note_id: str) -> str:
    """The file (of `SHARDS`) a note's entry goes in.

    >>> shard_of("people/ada.md")
    'ee'
    """
    digest = hashlib.sha1(note_id.encode("utf-8", "surrogatepass")).digest()
    return f"{digest[0] % SHARDS:02x}"


@functools.cache
def code_digest() -> str:
    """A digest of notegraph's code and of what parsing depends on outside it."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for name in DISTRIBUTIONS:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=\0".encode())
    package = Path(__file__).parents[2]  # notegraph/
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class _Unpickler(pickle.Unpickler):
    """Makes notegraph's classes and plain data, and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        if module == "notegraph" or module.startswith("notegraph."):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not something notegraph stores")


def stable(key: Hashable) -> bool:
    """Whether a slugify key names the same function in another process (not an ``id``).

    >>> stable(("partial", ("pymdownx.slugs", "slugify"), (), (("case", "lower"),)))
    True
    >>> stable(("object", 140234))
    False
    """
    if isinstance(key, tuple):
        return key[:1] != ("object",) and all(stable(part) for part in key)
    return True


class NoteStore:
    """What one step made of each note of one vault, in `folder`, for one `context`.

    `load` reads the files that hold the given notes (each once); `save` writes each file
    read whose entries are no longer the vault's. `problems` says in a line or two which files
    could not be used or written.
    """

    def __init__(self, folder: Path, context: str, what: str, reuse: bool = True) -> None:
        self.folder = folder
        self.header = (MARK, FORMAT, code_digest(), context)
        self.what = what
        """What the entries are, for messages ("parsed notes")."""
        self.reuse = reuse
        """False: what the files hold is not used (a clean build), but they are written."""
        self.unusable: list[tuple[Path, str]] = []
        """Files that could not be read, and why."""
        self.unwritable: list[tuple[Path, str]] = []
        self.loaded = 0
        """Entries read from the files."""
        self.written = 0
        """Files written."""
        self._on_disk: dict[str, dict[str, str]] = {}
        """Each file read: the digest of each of its notes, as the file holds them."""

    @property
    def problems(self) -> list[str]:
        """What went wrong with the files, a line for those that could not be read and one
        for those that could not be written.

        >>> store = NoteStore(Path("cache"), "slug", "parsed notes")
        >>> store.unusable = [(Path("cache/0a.pickle"), "EOFError"), (Path("cache/ff.pickle"), "")]
        >>> store.problems
        ['parsed notes: 2 files of cache cannot be used (cache/0a.pickle: EOFError); made again']
        """  # noqa: E501
        said = []
        for what, failed, outcome in (
            ("cannot be used", self.unusable, "; made again"),
            ("cannot be written", self.unwritable, ""),
        ):
            if failed:
                files = f"{len(failed)} files of {self.folder}" if len(failed) > 1 else "a file"
                path, why = failed[0]
                said.append(f"{self.what}: {files} {what} ({path}: {why}){outcome}")
        return said

    def path(self, shard: str) -> Path:
        return self.folder / f"{shard}.pickle"

    def load(self, note_ids: Iterable[str]) -> dict[str, Entry]:
        """The entries of the files that hold `note_ids` (those not read yet)."""
        entries: dict[str, Entry] = {}
        for shard in sorted({shard_of(note_id) for note_id in note_ids} - self._on_disk.keys()):
            found = self._read(shard) if self.reuse else {}
            self._on_disk[shard] = {note_id: entry[0] for note_id, entry in found.items()}
            entries.update(found)
        self.loaded += len(entries)
        return entries

    def _read(self, shard: str) -> dict[str, Entry]:
        path = self.path(shard)
        try:
            with path.open("rb") as file:  # two pickles, each with its own memo
                if _Unpickler(file).load() != self.header:
                    return {}  # written by another notegraph or for other anchors
                entries = _Unpickler(file).load()
        except FileNotFoundError:
            return {}
        except Exception as error:  # anything a damaged file can raise
            self.unusable.append((path, f"{type(error).__name__}: {error}"))
            return {}
        if not _well_formed(entries):
            self.unusable.append((path, "not a store of parsed notes"))
            return {}
        return cast(dict[str, Entry], entries)

    def save(self, entries: Mapping[str, Entry]) -> None:
        """Write the files read by `load` that do not hold exactly `entries` (their share
        of them: the vault's notes as this build parsed them); remove those that hold
        none of the vault's notes."""
        shares: dict[str, dict[str, Entry]] = {shard: {} for shard in self._on_disk}
        for note_id, entry in entries.items():
            shard = shard_of(note_id)
            if shard in shares:
                shares[shard][note_id] = entry
        held = {shard_of(note_id) for note_id in entries}
        for path in sorted(self.folder.glob("*.pickle")) if self.folder.is_dir() else ():
            if path.stem not in held and _header(path)[:1] == (MARK,):  # notes that are gone
                path.unlink(missing_ok=True)
        for shard, share in sorted(shares.items()):
            digests = {note_id: entry[0] for note_id, entry in share.items()}
            if not share or digests == self._on_disk[shard]:
                continue
            try:
                self._write(shard, share)
            except (OSError, pickle.PicklingError) as error:
                self.unwritable.append((self.path(shard), str(error)))
                continue
            self._on_disk[shard] = digests
            self.written += 1

    def _write(self, shard: str, share: Mapping[str, Entry]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.path(shard)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            with temporary.open("wb") as file:
                pickle.dump(self.header, file, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(dict(sorted(share.items())), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)


def _header(path: Path) -> tuple[Any, ...]:
    """The header of a store's file; () for any other file."""
    try:
        with path.open("rb") as file:
            header = _Unpickler(file).load()
    except Exception:  # anything a file that is not ours can raise
        return ()
    return header if isinstance(header, tuple) else ()


def _well_formed(entries: object) -> bool:
    return isinstance(entries, dict) and all(
        isinstance(note_id, str)
        and isinstance(entry, tuple)
        and len(entry) == 3
        and isinstance(entry[0], str)
        and isinstance(entry[2], tuple)
        for note_id, entry in entries.items()
    )

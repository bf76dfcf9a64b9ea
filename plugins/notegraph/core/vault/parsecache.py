"""A process-lifetime cache of parsed notes, so that a save under ``serve`` re-parses one file.

`load_vault` asks `PARSES` for every note. An entry is keyed by the vault folder, the note's
vault path and the slugify function (heading anchors depend on it) and remembers the SHA-1 of
the text it was parsed from: the same text gives back the same `Note` object and replays the
diagnostics its parse reported, any other text is parsed again and replaces the entry. The
least recently used entries go first once there are more than `maxsize`.

Cached notes are shared between builds, so nothing after `parse_note` may change a `Note`
(the pipeline only reads them; `tests/test_preview.py` checks that a cached note still equals
a fresh parse after a whole build).

>>> from notegraph.core.base.report import Report
>>> cache = ParseCache(maxsize=2)
>>> def parse(note_id, text, report, slugify):
...     report.info(note_id, "parsed", code="demo")
...     return text.upper()
>>> report = Report()
>>> cache.parse(Path("v"), "a.md", "hi", report, str, parse)
'HI'
>>> cache.parse(Path("v"), "a.md", "hi", report, str, parse), cache.parses, cache.hits
('HI', 1, 1)
>>> [str(d) for d in report.diagnostics]  # replayed once per report, like a fresh parse
['a.md: info: parsed [demo]']
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

from notegraph.core.base import progress
from notegraph.core.base.parallel import map_forked
from notegraph.core.base.report import Diagnostic, Report
from notegraph.core.vault.notestore import NoteStore, stable

__all__ = ["ParseCache", "PARSES", "slugify_key", "open_store", "text_digest"]

T = TypeVar("T")


def slugify_key(slugify: Callable[..., Any]) -> Hashable:
    """What identifies a slugify function across config reloads (not the object itself).

    `pymdownx.slugs.slugify(case="lower")` makes a new `functools.partial` on every load of
    ``mkdocs.yml``; two with the same function and arguments slugify alike.

    >>> import functools
    >>> slugify_key(functools.partial(max, 1, key=abs)) == slugify_key(
    ...     functools.partial(max, 1, key=abs))
    True
    """
    if isinstance(slugify, functools.partial):
        key = (
            "partial",
            slugify_key(slugify.func),
            slugify.args,
            tuple(sorted(slugify.keywords.items())),
        )
        try:
            hash(key)
        except TypeError:
            return ("object", id(slugify))
        return key
    module = getattr(slugify, "__module__", None)
    name = getattr(slugify, "__qualname__", None)
    if module and name and "<locals>" not in name and "<lambda>" not in name:
        return (module, name)
    return ("object", id(slugify))


def text_digest(text: str) -> str:
    """The SHA-1 of a note's text, which stands for the note in every cache.

    >>> text_digest("# A")
    '77ac5df335bcdb8101550d5b85e578876b6111d8'
    """
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def open_store(
    folder: Path | None, slugify: Callable[..., Any], reuse: bool = True
) -> NoteStore | None:
    """The store of parsed notes in `folder` (None: no folder, or a slugify function that
    cannot be named in another process, whose anchors no store can vouch for)."""
    if folder is None:
        return None
    key = slugify_key(slugify)
    return NoteStore(folder, repr(key), "parsed notes", reuse) if stable(key) else None


class ParseCache:
    """Parsed notes by (vault, note, slugify), each valid for one text (by SHA-1)."""

    def __init__(self, maxsize: int = 50_000) -> None:
        self.maxsize = maxsize
        self.parses = 0
        """Texts parsed (cache misses) since the process started."""
        self.hits = 0
        self._entries: OrderedDict[Hashable, tuple[str, Any, tuple[Diagnostic, ...]]] = (
            OrderedDict()
        )

    def parse(
        self,
        root: Path,
        note_id: str,
        text: str,
        report: Report,
        slugify: Callable[..., Any],
        parse: Callable[[Any, str, Report, Any], T],
    ) -> T:
        """``parse(note_id, text, report, slugify)``, or what it returned for this text."""
        key = (str(root), note_id, slugify_key(slugify))
        digest = text_digest(text)
        entry = self._entries.get(key)
        if entry is not None and entry[0] == digest:
            self._entries.move_to_end(key)
            self.hits += 1
            value, diagnostics = cast(T, entry[1]), entry[2]
        else:
            self.parses += 1
            own = Report()
            value = parse(note_id, text, own, slugify)
            diagnostics = tuple(own.diagnostics)
            self._entries[key] = (digest, value, diagnostics)
            self._entries.move_to_end(key)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        for d in diagnostics:
            report.add(d.level, d.path, d.message, line=d.line, col=d.col, code=d.code)
        return value

    def parse_many(
        self,
        root: Path,
        texts: Sequence[tuple[str, str]],
        slugify: Callable[..., Any],
        parse: Callable[[Any, str, Report, Any], T],
        workers: int = 1,
        store: NoteStore | None = None,
        digests: Sequence[str] | None = None,
    ) -> list[tuple[T, tuple[Diagnostic, ...]]]:
        """`parse` for every (note id, text), with what each parse reported; the texts not
        in the cache are looked up in `store` (parsed notes on disk), and those not there
        either parsed in `workers` processes (`parallel.map_forked`) and saved to `store`.
        `digests`: the texts' `text_digest`, when the caller has them already."""
        slug = slugify_key(slugify)
        digests = digests if digests is not None else [text_digest(t) for _, t in texts]
        keys = [(str(root), note_id, slug) for note_id, _ in texts]

        def not_cached() -> list[int]:
            return [
                i
                for i, (key, digest) in enumerate(zip(keys, digests, strict=True))
                if (entry := self._entries.get(key)) is None or entry[0] != digest
            ]

        missing = not_cached()
        if store is not None and missing:
            stored = store.load(texts[i][0] for i in missing)
            for i in missing:
                entry = stored.get(texts[i][0])
                if entry is not None and entry[0] == digests[i]:
                    self._entries[keys[i]] = entry
            missing = not_cached()

        def parse_one(i: int) -> tuple[T, tuple[Diagnostic, ...]]:
            own = Report()
            value = parse(texts[i][0], texts[i][1], own, slugify)
            return value, tuple(own.diagnostics)

        progress.expect(len(texts))
        progress.advance(len(texts) - len(missing))  # in the cache: done already
        for i, parsed in zip(missing, map_forked(parse_one, missing, workers), strict=True):
            self._entries[keys[i]] = (digests[i], *parsed)
        self.parses += len(missing)
        self.hits += len(texts) - len(missing)
        results = []
        for key in keys:
            self._entries.move_to_end(key)
            results.append(self._entries[key][1:])
        if store is not None:
            store.save(
                {note_id: self._entries[key] for (note_id, _), key in zip(texts, keys, strict=True)}
            )
        while len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return results

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


PARSES = ParseCache()
"""The cache `notes.load_vault` uses: one per process, shared by every build it runs."""

"""Results kept from one build to the next, so that a save under live preview redoes little.

A `Memo` maps a key to a value computed from it. Keys are built from what a result depends
on; where that is a note (or several), the key holds the note's identity and the entry keeps
the note itself (`anchor`, or a tuple of them), so a note the parse cache gave back unchanged
finds its results again and no other object can pass for it. `sweep` drops what the last
build did not ask for, so the memo holds one build's worth of results.

>>> memo = Memo()
>>> note = object()
>>> memo.get(("links", id(note)), note, lambda: "computed")
'computed'
>>> memo.get(("links", id(note)), note, lambda: "again"), memo.hits
('computed', 1)
>>> memo.sweep(); memo.sweep(); len(memo)
0
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

__all__ = ["Memo", "fingerprint"]

T = TypeVar("T")


class Memo:
    """Values by key, each valid while its anchor object is the very same."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[Any, Any]] = {}
        self._used: set[Hashable] = set()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, anchor: Any, compute: Callable[[], T]) -> T:
        """The value for `key`, computed now unless a previous build left it for `anchor`."""
        self._used.add(key)
        entry = self._entries.get(key)
        if entry is not None and _same(entry[0], anchor):
            self.hits += 1
            return cast(T, entry[1])
        self.misses += 1
        value = compute()
        self._entries[key] = (anchor, value)
        return value

    def sweep(self) -> None:
        """Forget what was not asked for since the last sweep (call once per build)."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}
        self._used = set()

    def __len__(self) -> int:
        return len(self._entries)


def _same(kept: Any, anchor: Any) -> bool:
    """The very same object, or tuples of the very same objects."""
    if isinstance(kept, tuple) and isinstance(anchor, tuple):
        return len(kept) == len(anchor) and all(a is b for a, b in zip(kept, anchor, strict=True))
    return kept is anchor


def fingerprint(value: Any) -> str:
    """A short digest of a JSON-able value (what a set of results depends on).

    >>> fingerprint({"b": [1, 2], "a": "x"}) == fingerprint({"a": "x", "b": [1, 2]})
    True
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

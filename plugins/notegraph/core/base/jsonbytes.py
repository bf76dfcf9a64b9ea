"""JSON as UTF-8 bytes, written in pieces: the same bytes as ``json.dumps(...).encode()``
without the whole document as one `str`.

A site's data files hold every title; one title with an emoji makes a `str` of the whole
document take 4 bytes a character (tubegraph's ``graph.json``: 155 MB as `str`, 39 MB as
UTF-8). `json_bytes` encodes each key of a mapping, and each run of `CHUNK` items of a long
list, on its own, so that no piece is large.

>>> value = {"b": [1, 2.5, "é"] * 3, "a": {"z": None, "y": "😀"}, "c": []}
>>> for separators in ((", ", ": "), (",", ":")):
...     expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=separators)
...     assert json_bytes(value, separators, chunk=2) == expected.encode("utf-8")
>>> json_bytes({"a": [1, 2, 3]}, chunk=2)
b'{"a": [1, 2, 3]}'
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["json_bytes", "CHUNK"]

CHUNK = 1000
"""Items of a list encoded at once."""


def json_bytes(value: Any, separators: tuple[str, str] = (", ", ": "), chunk: int = CHUNK) -> bytes:
    """``json.dumps(value, sort_keys=True, ensure_ascii=False, separators=separators)``
    encoded in UTF-8, built from small pieces."""
    item, key = separators
    between = item.encode("utf-8")
    out: list[bytes] = []

    def dumps(part: Any) -> str:
        return json.dumps(part, sort_keys=True, ensure_ascii=False, separators=separators)

    def write(part: Any) -> None:
        if isinstance(part, dict) and part and all(isinstance(k, str) for k in part):
            out.append(b"{")
            for i, name in enumerate(sorted(part)):
                if i:
                    out.append(between)
                out.append((dumps(name) + key).encode("utf-8"))
                write(part[name])
            out.append(b"}")
        elif isinstance(part, list) and len(part) > chunk:
            out.append(b"[")
            for lo in range(0, len(part), chunk):
                if lo:
                    out.append(between)
                out.append(dumps(part[lo : lo + chunk])[1:-1].encode("utf-8"))
            out.append(b"]")
        else:
            out.append(dumps(part).encode("utf-8"))

    write(value)
    return b"".join(out)

"""Names, keys and slugs: how note names are compared and how page paths are made.

Three kinds of string travel through notegraph and must never be mixed up, so each has
its own type:

- `NoteId`: a note's path inside the vault, POSIX separators, with extension
  (``people/Ian McAllister.md``). Stable, unique, what the graph uses as node id.
- `SrcUri`: the path of a generated page inside the site's sources
  (``notes/people/ian-mcallister.md``); MkDocs turns it into a URL.
- `Key`: a folded name used only for matching (``ian mcallister``).

>>> fold("Improving product management skills") == fold("improving_product_management_skills")
True
>>> fold("\u2068Ian McAllister\u2069")
'ian mcallister'
>>> slug("Ian McAllister")
'ian-mcallister'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import NewType

__all__ = [
    "NoteId",
    "SrcUri",
    "Key",
    "fold",
    "fold_path",
    "slug",
    "MAX_SLUG_BYTES",
    "machine_name",
    "readable",
    "yaml_string",
]

NoteId = NewType("NoteId", str)
SrcUri = NewType("SrcUri", str)
Key = NewType("Key", str)

# Everything that is not a letter, a digit or a mark separates words when names are compared.
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
_SLUG_DROP = re.compile(r"[^\w\s-]", re.UNICODE)
_SLUG_JOIN = re.compile(r"[\s-]+", re.UNICODE)


def _clean(text: str) -> str:
    """NFKC-normalise, case-fold and drop invisible format characters (category Cf)."""
    if text.isascii():  # NFKC leaves ASCII alone and no ASCII character is a format one
        return text.lower()
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.casefold()


def fold(name: str) -> Key:
    """Key under which two spellings of a name are equal.

    Case, Unicode compatibility forms, invisible characters, spaces, underscores, hyphens
    and punctuation are ignored. A name made only of punctuation keeps it, so that ``???``
    and ``!!!`` stay different.

    >>> fold("Working-Backwards   (Amazon)")
    'working backwards amazon'
    >>> fold("???")
    '???'
    """
    cleaned = _clean(name)
    folded = _SEPARATORS.sub(" ", cleaned).strip()
    # A key never holds "/": it would read as a folder in a path key.
    return Key(folded or cleaned.strip().replace("/", "\u2215"))


def fold_path(path: str) -> Key:
    """Fold every segment of a ``/``-separated path.

    >>> fold_path("People/Ian_McAllister")
    'people/ian mcallister'
    """
    parts = (fold(part) for part in path.split("/") if part not in ("", "."))
    return Key("/".join(part for part in parts if part))


MAX_SLUG_BYTES = 100
"""Longest slug, in UTF-8 bytes: a file system takes names of 255 bytes at most, and a
page's name may get a ``-2`` suffix and an extension."""


def slug(name: str, fallback: str = "note") -> str:
    """URL-safe, lower-case slug of one path segment. Letters of any script are kept.

    A slug longer than `MAX_SLUG_BYTES` is cut, and ends with a hash of the whole, so that
    two long names that start alike still get two slugs.

    >>> slug("Tips & Tricks: PMs")
    'tips-tricks-pms'
    >>> slug("???")
    'note'
    >>> slug("working_backwards")
    'working_backwards'
    >>> long = slug("word " * 100)
    >>> len(long.encode()), long[-9:]
    (100, '-cfc177ae')
    """
    text = _clean(name)
    text = _SLUG_DROP.sub("", text)
    text = _SLUG_JOIN.sub("-", text).strip("-_")
    if len(text.encode()) > MAX_SLUG_BYTES:
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]
        head = text.encode()[: MAX_SLUG_BYTES - 9].decode("utf-8", "ignore").rstrip("-_")
        text = f"{head}-{digest}"
    return text or fallback


_MACHINE = re.compile(r"[\w-]+?(?:\.md)?", re.IGNORECASE)
_MACHINE_SPACED = re.compile(r"[\w -]+?(?:\.md)?", re.IGNORECASE)
_WORD_GLUE = re.compile(r"[_-]+")


def machine_name(name: str) -> bool:
    """Whether `name` is spelled for a file system rather than for a reader: letters and
    digits joined with underscores or with several hyphens, perhaps with ``.md``
    (``angel_investing``, ``ai-in-product-design``). ``e-mail`` is a word; a path or a URL
    is no name to rewrite.

    >>> [machine_name(n) for n in ("angel_investing", "a-b-c", "e-mail", "Angel investing")]
    [True, True, False, False]
    >>> [machine_name(n) for n in ("people/ian_m", "x_y.md", "https://a.b/c_d")]
    [False, True, False]
    >>> [machine_name(n) for n in ("customer_loyalty and champions", "e-mail and co-op")]
    [True, False]
    """
    text = name.strip()
    if "_" in text:  # words glued with underscores, perhaps some with spaces too
        return _MACHINE_SPACED.fullmatch(text) is not None
    return text.count("-") >= 2 and _MACHINE.fullmatch(text) is not None


def readable(name: str) -> str:
    """A machine name (`machine_name`) as words: without ``.md``, underscores and hyphens
    turned into spaces, the first letter upper-cased when the name was all lower case.
    Other names are returned as they are.

    >>> readable("leadership_and_career_advancement"), readable("ian_mcallister.md")
    ('Leadership and career advancement', 'Ian mcallister')
    >>> readable("ais-impact-on-startups"), readable("AI_in_Product"), readable("people/a_b")
    ('Ais impact on startups', 'AI in Product', 'people/a_b')
    """
    if not machine_name(name):
        return name
    text = name.strip()
    if text.lower().endswith(".md"):
        text = text[:-3]
    words = " ".join(_WORD_GLUE.sub(" ", text).split())
    if not words:
        return name
    return words[0].upper() + words[1:] if words == words.lower() else words


# Characters a YAML reader would treat as line breaks or drop, and lone surrogates.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def yaml_string(text: str) -> str:
    r"""`text` as a double-quoted YAML scalar that reads back exactly, emoji kept as is.

    >>> print(yaml_string('say "hi" \N{HOT BEVERAGE} \N{LINE SEPARATOR}'))
    "say \"hi\" ☕ \u2028"
    """
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)

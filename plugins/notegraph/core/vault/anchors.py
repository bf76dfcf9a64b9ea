"""Heading ids readable in any script.

Python-Markdown's toc keeps only ASCII in a heading's id: a heading in Chinese, Russian or
Hindi gets an empty one, numbered ``_1``, ``_2``... by position, so a link to it breaks when
a heading is added above. `slugify` keeps the letters, digits and marks of every script
(normalized to NFKC, lower-cased), drops punctuation, and joins words with the separator;
for ASCII text it gives what toc's own slugify gives, so ids of English headings are the
same as before. A link ``[[Note#标题]]`` finds the heading by its text, and its URL carries
the id percent-encoded (``#%E6%A0%87%E9%A2%98``), which browsers match to the id.

>>> slugify("标题 一", "-"), slugify("Über Straße", "-"), slugify("नमस्ते दुनिया", "-")
('标题-一', 'über-straße', 'नमस्ते-दुनिया')
>>> slugify("Second Part: Why?", "-"), slugify("  a -- b  ", "-")
('second-part-why', 'a-b')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["slugify"]


def _kept(char: str) -> bool:
    """A letter, digit or mark of any script, an underscore, a hyphen or a space."""
    return char.isalnum() or char in "_-" or char.isspace() or unicodedata.category(char)[0] == "M"


def slugify(value: str, separator: str) -> str:
    """The id of a heading whose text is `value` (toc's ``slugify`` signature)."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(char for char in text if _kept(char)).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, text)

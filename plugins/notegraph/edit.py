"""The "edit this note" link of a note page, to the note's source in the repository.

Material's own edit link assumes pages live under ``docs_dir`` (notes do not) and needs
``repo_url``, with which the theme calls the GitHub API from every page; a built site makes
no outside request. So the plugin's ``edit_url`` option gives the base URL of the vault's
sources and each note page carries a plain link.

>>> print(edit_link("people/Ian M.md", "https://github.com/o/r/edit/main/notes/"), end="")
<BLANKLINE>
<p class="ng-edit"><a href="https://github.com/o/r/edit/main/notes/people/Ian%20M.md" \
title="Edit the source of this note">Edit this note</a></p>
>>> edit_link("a.md", "")
''
"""

from __future__ import annotations

import html
from urllib.parse import quote

__all__ = ["edit_link", "edit_href"]


def edit_href(note_id: str, edit_url: str) -> str:
    """`edit_url` joined with the note's vault path, each segment percent-quoted.

    >>> edit_href("a b/c#1?.md", "https://example.org/edit/main/notes")
    'https://example.org/edit/main/notes/a%20b/c%231%3F.md'
    """
    path = "/".join(quote(segment, safe="") for segment in note_id.split("/"))
    return edit_url.rstrip("/") + "/" + path


def edit_link(note_id: str, edit_url: str) -> str:
    """HTML paragraph with the link (between blank lines, so Markdown keeps it as is);
    empty when `edit_url` is empty."""
    if not edit_url:
        return ""
    href = html.escape(edit_href(note_id, edit_url))
    return (
        f'\n<p class="ng-edit"><a href="{href}" title="Edit the source of this note">'
        "Edit this note</a></p>\n"
    )

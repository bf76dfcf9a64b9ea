"""The "edit this note" link of a note page, to the note's source in the repository.

MkDocs builds a page's edit link from ``repo_url`` + ``edit_uri`` + the page's path under
``docs_dir``: ``edit_uri`` addresses the docs folder (MkDocs' default for GitHub is
``edit/master/docs/``). Notes live outside ``docs_dir``, so `notes_edit_url` swaps the docs
folder at the end of ``edit_uri`` for the notes folder (both relative to ``mkdocs.yml``, the
repository's root) and each note page carries a plain link to its file. The plugin's
``edit_url`` option, when set, gives that base URL directly.

>>> base = notes_edit_url("https://github.com/o/r", "edit/main/docs/", "docs", "notes")
>>> base
'https://github.com/o/r/edit/main/notes/'
>>> print(edit_link("people/Ian M.md", base), end="")
<BLANKLINE>
<p class="ng-edit"><a href="https://github.com/o/r/edit/main/notes/people/Ian%20M.md" \
title="Edit the source of this note">Edit this note</a></p>
>>> edit_link("a.md", "")
''
"""

from __future__ import annotations

import html
import posixpath
from urllib.parse import quote, urljoin, urlsplit

__all__ = ["edit_link", "edit_href", "notes_edit_url"]

MKDOCS_DOCS = "docs"
"""The docs folder MkDocs' default ``edit_uri`` assumes (``edit/master/docs/``)."""


def notes_edit_url(
    repo_url: str | None, edit_uri: str | None, docs_dir: str, notes_dir: str
) -> str:
    """Base URL of the notes' sources, from MkDocs' ``repo_url`` and ``edit_uri``.

    `docs_dir` and `notes_dir` are POSIX paths relative to ``mkdocs.yml``. Returns "" (no
    edit links) when there is no ``edit_uri``, or when the notes lie outside the folder of
    ``mkdocs.yml`` (their place in the repository is unknown); raises `ValueError` when
    ``edit_uri`` does not end with the docs folder.

    >>> notes_edit_url("https://github.com/o/r", "edit/master/docs/", "site_src", "notes")
    'https://github.com/o/r/edit/master/notes/'
    >>> notes_edit_url("https://github.com/o/r/", "edit/main/web/site_src/", "site_src", "n/v")
    'https://github.com/o/r/edit/main/web/n/v/'
    >>> notes_edit_url(None, "https://git.example/o/r/-/edit/main/docs", "docs", "notes")
    'https://git.example/o/r/-/edit/main/notes/'
    >>> notes_edit_url("https://github.com/o/r", None, "docs", "notes")
    ''
    >>> notes_edit_url("https://github.com/o/r", "edit/main/docs/", "docs", "../notes")
    ''
    >>> notes_edit_url("https://github.com/o/r", "edit/main/", "docs", "notes")
    Traceback (most recent call last):
    ...
    ValueError: edit_uri 'edit/main/' does not end with the docs folder 'docs'
    """
    if not edit_uri:
        return ""
    notes = posixpath.normpath(notes_dir)
    if notes == ".." or notes.startswith("../") or posixpath.isabs(notes):
        return ""
    if "?" in edit_uri or "#" in edit_uri:
        raise ValueError(f"edit_uri '{edit_uri}' has a query or fragment")
    path = edit_uri.rstrip("/")
    for docs in dict.fromkeys((posixpath.normpath(docs_dir), MKDOCS_DOCS)):
        if docs == ".":
            prefix = path
        elif path == docs or path.endswith("/" + docs):
            prefix = path[: -len(docs)].rstrip("/")
        else:
            continue
        relative = "/".join(p for p in (prefix, "" if notes == "." else notes) if p) + "/"
        url = urljoin(repo_url.rstrip("/") + "/", relative) if repo_url else relative
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"edit_uri '{edit_uri}' gives no absolute URL without repo_url")
        return url
    raise ValueError(f"edit_uri '{edit_uri}' does not end with the docs folder '{docs_dir}'")


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

"""Every rule that makes a URL: one module, and one type for each kind of address.

A page is known by four kinds of string, and mixing two of them gives a link that works on
one page and is broken on the next, which no reader of the code sees. Each has its own type,
so that mypy does:

- `SrcUri` (`names`): a page's path in the site's sources, ``notes/a.md``.
- `SiteUrl`: the URL of the rendered page, relative to the site's root: ``notes/a/``
  (``notes/a.html`` without directory URLs); `page_url` makes it from a `SrcUri`.
- `MdHref`: a link written into a page's *Markdown*, relative to its source
  (``../topics/b.md#part``): MkDocs rewrites it into the rendered page's link and checks it.
- `HtmlHref`: a link written into *raw HTML*, which MkDocs leaves as it is: relative to the
  rendered page's URL (``../../topics/b/``).

>>> page_url("notes/a.md"), md_href("topics/b.md", "notes/a.md")
('notes/a/', '../topics/b.md')
>>> html_href("topics/b.md", "notes/a.md", use_directory_urls=True)
'../../topics/b/'
"""

from __future__ import annotations

import posixpath
from typing import NewType
from urllib.parse import quote

__all__ = [
    "SiteUrl",
    "MdHref",
    "HtmlHref",
    "page_url",
    "md_href",
    "html_href",
    "relative_link",
    "relative_path",
    "page_data_path",
]

SiteUrl = NewType("SiteUrl", str)
MdHref = NewType("MdHref", str)
HtmlHref = NewType("HtmlHref", str)


def page_url(src_uri: str, use_directory_urls: bool = True) -> SiteUrl:
    """Site-relative URL MkDocs gives a Markdown source.

    >>> page_url("notes/a.md"), page_url("notes/index.md"), page_url("index.md")
    ('notes/a/', 'notes/', '')
    >>> page_url("notes/a.md", False), page_url("notes/index.md", False)
    ('notes/a.html', 'notes/index.html')
    """
    stem = src_uri.removesuffix(".md")
    if not use_directory_urls:
        return SiteUrl(f"{stem}.html")
    if posixpath.basename(stem) == "index":
        return SiteUrl(stem[: -len("index")])
    return SiteUrl(f"{stem}/")


def md_href(target: str, page: str, anchor: str | None = None) -> MdHref:
    """Link from the Markdown of the page at `page` to `target` (a page source or a file of
    the site), with an optional `anchor`; ``#`` for a link to the page itself.

    >>> md_href("notes/a.md", "notes/a.md", "x y"), md_href("notes/a.md", "notes/a.md")
    ('#x%20y', '#')
    """
    href = quote(relative_link(target, page), safe="/") if target != page else ""
    fragment = f"#{quote(anchor, safe='')}" if anchor else ""
    return MdHref(f"{href}{fragment}" or "#")


def html_href(
    target: str, page: str, use_directory_urls: bool = True, anchor: str | None = None
) -> HtmlHref:
    """URL of `target` (a page source or a file) relative to the *rendered* page of `page`.

    For raw HTML, which MkDocs does not rewrite: the result accounts for directory URLs.

    >>> html_href("notes/a.md", "notes/a.md"), html_href("index.md", "notes/a.md", False)
    ('./', '../index.html')
    """
    here = page_url(page, use_directory_urls)
    there = page_url(target, use_directory_urls) if target.endswith(".md") else target
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    relative = relative_path(there, base)
    if there.endswith("/") or not there:
        relative = "./" if relative == "." else relative + "/"
    fragment = f"#{quote(anchor, safe='')}" if anchor else ""
    return HtmlHref(quote(relative, safe="/") + fragment)


def relative_link(target: str, source: str) -> str:
    """Relative path from the page at `source` to the file at `target` (both site sources).

    >>> relative_link("topics/amazon.md", "notes/people/ian.md")
    '../../topics/amazon.md'
    >>> relative_link("notes/a.md", "notes/a.md")
    'a.md'
    """
    return relative_path(target, posixpath.dirname(source))


def page_data_path(folder: str, url: str) -> str:
    """Site path of a data file (``.json``) under `folder` that belongs to the page at
    site-relative `url`, the same for both styles of URL, so that a script finds it from
    a link's address.

    >>> page_data_path("preview", "notes/a/"), page_data_path("preview", "notes/a.html")
    ('preview/notes/a.json', 'preview/notes/a.json')
    >>> page_data_path("graph/local", ""), page_data_path("x", "../b/")
    ('graph/local/index.json', 'x/b.json')
    """
    stem = url[:-1] if url.endswith("/") else url.removesuffix(".html")
    parts = [part for part in stem.split("/") if part not in ("", ".", "..")]
    return f"{folder}/{'/'.join(parts) or 'index'}.json"


def relative_path(target: str, start: str) -> str:
    """`posixpath.relpath` for two site paths, without asking the file system for the
    working folder (relpath calls ``os.getcwd`` twice, which shows at 100,000 links).

    >>> [relative_path(t, s) for t, s in [("a/b", "a"), ("a", "a/b/c"), ("x/y", ""), ("a", "a")]]
    ['b', '../..', 'x/y', '.']
    >>> relative_path("a/c/", "a/b/")
    '../c'
    """
    to = [part for part in target.split("/") if part and part != "."]
    here = [part for part in start.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(here)) and to[common] == here[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."

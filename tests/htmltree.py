"""A tiny HTML tree on the standard library's parser, and a checker of a built site's links.

Shared by the whole-site tests and the real-corpus test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# --- a tiny HTML tree ---------------------------------------------------------------------------

# Elements that never have an end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
VOID |= {"source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """Visible text, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in ("script", "style"):
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)
        ]

    def one(self, tag: str | None = None, cls: str | None = None) -> Element:
        found = self.find_all(tag, cls)
        assert len(found) == 1, f"expected one <{tag or '*'} class={cls}>, found {len(found)}"
        return found[0]

    def link(self, text: str) -> Element:
        """The one ``<a>`` whose text is `text`."""
        found = [a for a in self.find_all("a") if a.text == text]
        assert len(found) == 1, f"expected one link '{text}', found {[a.text for a in found]}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    return builder.root


def article(path: Path) -> Element:
    """The page's own content (Material's ``<article>``), without nav, header and footer."""
    return parse(path).one("article")


def ids(root: Element) -> set[str]:
    return {e.attrs["id"] for e in root.iter() if "id" in e.attrs}


def is_external(href: str) -> bool:
    parts = urlsplit(href)
    return parts.scheme in ("http", "https", "mailto") or bool(parts.netloc)


def resolve(site_dir: Path, page: Path, href: str) -> tuple[Path, str]:
    """The file an internal `href` on `page` points to, and its fragment."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site_dir / path.lstrip("/")
    else:
        target = page.parent / path
    target = Path(os.path.normpath(target))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def lands_on(site: Any, page: Path, a: Element) -> tuple[str, str]:
    """Site-relative path of the file a link on `page` reaches, and its fragment."""
    target, fragment = resolve(site.site_dir, page, a.attrs["href"])
    assert target.is_file(), f"{a.attrs['href']} on {page} reaches no file"
    return target.relative_to(site.site_dir).as_posix(), fragment


def broken_links(site_dir: Path) -> list[str]:
    """Every internal link of every HTML page that reaches no file or no id, as messages."""
    problems: list[str] = []
    trees: dict[Path, Element] = {}

    def tree(path: Path) -> Element:
        if path not in trees:
            trees[path] = parse(path)
        return trees[path]

    pages = sorted(site_dir.rglob("*.html"))
    assert pages, f"no HTML in {site_dir}"
    for page in pages:
        for a in tree(page).find_all("a"):
            href = a.attrs.get("href")
            if href is None or is_external(href):
                continue
            where = f"{page.relative_to(site_dir)}: <a href={href!r}>"
            target, fragment = resolve(site_dir, page, href)
            if not target.is_relative_to(site_dir) or not target.is_file():
                problems.append(f"{where} reaches no file")
            elif fragment and target.suffix == ".html" and fragment not in ids(tree(target)):
                problems.append(f"{where}: no id '{fragment}' in {target.relative_to(site_dir)}")
    return problems

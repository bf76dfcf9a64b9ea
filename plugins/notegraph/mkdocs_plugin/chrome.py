"""Material's chrome rendered once for many pages, not once a page (in render workers).

Every page of a Material site includes the same header, navigation and tabs. For a page
that is not in the navigation (every page notegraph generates, unless a site lists it), they
differ from page to page only in the relative addresses the ``url`` filter makes (a page
three folders deep links the home page as ``../../../``), and the header in the page's
title. `Chrome` renders each of these partials the first time, notes every address the
``url`` filter made in it, and hands the same HTML to every later page for which the filter
makes the same addresses (and ``base_url`` is the same); the header's title is put in its
place. Only Material's own partials are taken over, whose reading of the page is known (see
`CACHED`): a site that overrides one (``custom_dir``) renders its own as usual. A page in
the navigation, or a partial that reads more of the page than expected, is rendered in full.
The site is the same, byte for byte (`tests/test_prerender.py`).

Material's header, navigation and tabs took about a third of its template's time, and the
template a fifth of a render worker's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import material
from jinja2.runtime import Context
from mkdocs.structure.nav import Navigation

__all__ = ["CACHED", "Chrome"]

CACHED = {
    "partials/header.html": True,
    "partials/nav.html": False,
    "partials/tabs.html": False,
}
"""Material's partials taken over -> whether the page's title shows in it. Material's
header reads the page only for its title (``page.meta.title``, else ``page.title``); its
navigation and tabs compare each item with the page, which for a page outside the
navigation is never equal nor active; all three make addresses with ``url``."""
ORIGINAL = "notegraph-chrome"
"""Prefix under which the theme's own partials stay reachable."""
TITLE = "\x00notegraph-page-title\x00"
"""What stands for the page's title in a header rendered for many pages."""


@dataclass
class _Rendered:
    urls: list[tuple[str, str]]
    """Every value the ``url`` filter was given in it, with what it made."""
    base_url: str
    pieces: tuple[str, ...]
    """The HTML, cut where the page's title goes."""


@dataclass
class _Standin:
    """The page as a header rendered for many pages reads it: its title is `TITLE`, its
    address the page's (for ``url``); reading anything else is noted (`unexpected`)."""

    url: str
    meta: dict[str, str] = field(default_factory=lambda: {"title": TITLE})
    title: str = TITLE
    parent: None = None
    unexpected: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        self.unexpected.append(name)
        raise AttributeError(name)


class Chrome:
    """Takes over Material's header, navigation and tabs in a theme's Jinja environment."""

    def __init__(self, env: jinja2.Environment, nav: Navigation) -> None:
        self.env = env
        self.nav = nav
        self.rendered: dict[str, list[_Rendered]] = {}
        self.renders = 0
        """How many times a partial was rendered (the others reused one)."""
        self._recording: list[list[tuple[str, str]]] = []
        self._url: Callable[..., str] = env.filters["url"]
        self._off: set[str] = set()

    @classmethod
    def install(cls, env: jinja2.Environment, nav: Navigation) -> Chrome | None:
        """Take over the partials of `CACHED` that are Material's own; None if none is."""
        loader = env.loader
        if loader is None:
            return None
        own = Path(material.__file__).parent.resolve() / "templates"
        names = [name for name in CACHED if _source_in(loader, env, name, own)]
        if not names:
            return None
        chrome = cls(env, nav)
        shims = {name: f"{{{{ notegraph_chrome({name!r}) }}}}" for name in names}
        env.loader = jinja2.ChoiceLoader(
            [jinja2.DictLoader(shims), jinja2.PrefixLoader({ORIGINAL: loader}), loader]
        )

        @jinja2.pass_context
        def include(context: Context, name: str) -> str:
            return chrome.include(context, name)

        @jinja2.pass_context
        def url(context: Context, value: Any) -> str:
            return chrome.url(context, value)

        env.globals["notegraph_chrome"] = include
        env.filters["url"] = url
        return chrome

    def url(self, context: Context, value: Any) -> str:
        made = self._url(context, value)
        for recording in self._recording:
            recording.append((str(value), made))
        return made

    def include(self, context: Context, name: str) -> str:
        """The partial `name` for the page of `context`: one rendered for an earlier page
        that reads the same, or rendered now."""
        page = context.get("page")
        values = context.get_all()
        titled = CACHED[name]
        if page is None or name in self._off or self._in_nav(page):
            return self._render(name, values)
        base_url = str(values.get("base_url"))
        for done in self.rendered.get(name, ()):
            if done.base_url == base_url and all(
                self._url(context, value) == made for value, made in done.urls
            ):
                for recording in self._recording:  # an enclosing partial depends on them too
                    recording.extend(done.urls)
                return _title(page).join(done.pieces) if titled else done.pieces[0]
        standin = _Standin(page.url)
        self._recording.append([])
        try:
            html = self._render(name, {**values, "page": standin} if titled else values)
        finally:
            urls = self._recording.pop()
        pieces = tuple(html.split(TITLE)) if titled else (html,)
        if standin.unexpected or len(pieces) != (2 if titled else 1):
            self._off.add(name)  # it reads more of the page than its title: never shared
            return self._render(name, values)
        self.rendered.setdefault(name, []).append(_Rendered(urls, base_url, pieces))
        return _title(page).join(pieces) if titled else html

    def _render(self, name: str, values: dict[str, Any]) -> str:
        """What ``{% include name %}`` outputs, with the context's `values`."""
        self.renders += 1
        template = self.env.get_template(f"{ORIGINAL}/{name}")
        return "".join(template.root_render_func(template.new_context(values, shared=True)))

    def _in_nav(self, page: Any) -> bool:
        return page.parent is not None or any(item.active for item in _items(self.nav.items))


def _title(page: Any) -> str:
    """The header's title of `page`, as Material's ``partials/header.html`` prints it."""
    meta = page.meta
    title = meta.get("title") if isinstance(meta, dict) else None
    return str(title if meta and title else page.title)


def _items(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _items(getattr(item, "children", None) or [])


def _source_in(loader: jinja2.BaseLoader, env: jinja2.Environment, name: str, folder: Path) -> bool:
    try:
        _, filename, _ = loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    return filename is not None and Path(filename).resolve().is_relative_to(folder)

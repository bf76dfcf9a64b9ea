"""The names the page around a note owns: ids and classes a note's HTML may not take.

A note's HTML lands inside a page of the theme, next to the theme's and notegraph's own
elements. Two kinds of name there are more than labels:

- An element's ``id`` is what ``getElementById`` and ``querySelector("#...")`` find first,
  and a property of ``window``. A note that sets ``id="__config"`` (an attribute list
  ``{: #__config }``, raw HTML, a heading called ``__config``) comes before Material's own
  ``<script id="__config">``, and Material and our search read the note's element as their
  configuration: its ``base`` then sends requests, and loads a module, from another host
  ("DOM clobbering"). So every id a note sets goes through `safe_id`: an id that starts
  with ``__`` (every id of Material's page frame does) or that the theme's or notegraph's
  templates and scripts use (`reserved_ids`, read from those files) is published with the
  prefix ``note-``.
- A ``class`` that makes the theme's script fetch from another host: Material turns every
  ``pre.mermaid`` into a diagram by loading Mermaid from a CDN when the page opens.
  `safe_classes` drops those (`RESERVED_CLASSES`). notegraph's own ``ng-`` classes are not
  reserved: its markup goes through the sanitizer beside the note's (embeds, sections with
  ``markdown="1"``), and what a note gains by them is a look-alike (a fake player plays a
  YouTube video when clicked, as a link to it would; a fake graph shows the site's own).

>>> safe_id("__config"), safe_id("intro"), safe_id(" __search")
('note-__config', 'intro', 'note- __search')
>>> safe_classes("mermaid big md-button")
'big md-button'
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

__all__ = [
    "PREFIX",
    "RESERVED_CLASSES",
    "reserved_ids",
    "is_reserved_id",
    "safe_id",
    "safe_classes",
    "SafeSlugify",
    "ReservedIdsExtension",
    "makeExtension",
]

PREFIX = "note-"
"""What a reserved id a note sets is published with in front."""
RESERVED_CLASSES = frozenset({"mermaid"})
"""Classes the theme's script acts on by fetching from another host: Material turns every
``pre.mermaid`` into a diagram by loading Mermaid from unpkg.com."""

_PACKAGE = Path(__file__).parents[2]  # notegraph/
_ASCII_SPACE = " \t\n\f\r"
# An id written in a template (`id="__drawer"`; `id="__nav_{{ ... }}"` gives its literal start)
# or looked up by a script (`getElementById("x")`, `"#x"` in a selector, `script#x`).
_TEMPLATE_ID = re.compile(r"""\bid=["']([^"'{}\s]+)""")
_SCRIPT_ID = re.compile(
    r"""getElementById\(\s*["']([^"']+)["']|["'][\w\s>.\[\]=-]*#([A-Za-z_][\w-]*)["'\s.:\[>,]"""
)
_HEX_COLOR = re.compile(r"[0-9a-fA-F]{3,8}")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
"""Comments of our own scripts (written by us, not minified) name colours and selectors
in prose; Material's bundle is read whole."""


def _files(folder: Path, pattern: str) -> list[Path]:
    return sorted(folder.rglob(pattern)) if folder.is_dir() else []


def _material() -> Path | None:
    # Found, not imported: the core runs without the theme (the `__` rule still holds).
    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "templates"


def ids_in(templates: Iterable[Path], scripts: Iterable[Path]) -> frozenset[str]:
    """The ids that `templates` (Jinja/HTML) write and that `scripts` (JavaScript) look up."""
    found: set[str] = set()
    for path in templates:
        found.update(_TEMPLATE_ID.findall(path.read_text(encoding="utf-8", errors="replace")))
    for path in scripts:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.is_relative_to(_PACKAGE):
            text = _BLOCK_COMMENT.sub(" ", text)
        looked_up = (a or b for a, b in _SCRIPT_ID.findall(text))
        found.update(name for name in looked_up if not _HEX_COLOR.fullmatch(name))
    return frozenset(found)


@functools.cache
def reserved_ids() -> frozenset[str]:
    """Every id of the page frame: written by Material's templates or ours, or looked up by
    Material's scripts or ours (read once from the installed files).

    >>> {"__config", "__drawer", "__search"} <= reserved_ids()
    True
    """
    templates = _files(_PACKAGE / "mkdocs_plugin" / "templates", "*.html")
    scripts = _files(_PACKAGE / "assets", "*.js")
    scripts = [path for path in scripts if "vendor" not in path.parts]
    material = _material()
    if material is not None:
        templates += _files(material, "*.html")
        scripts += _files(material / "assets" / "javascripts", "bundle.*.js")
    return ids_in(templates, scripts)


def is_reserved_id(value: str) -> bool:
    """Whether an id (as a browser reads it, entities decoded) is the page frame's."""
    bare = value.strip(_ASCII_SPACE)
    return bare.startswith("__") or bare in reserved_ids()


def safe_id(value: str) -> str:
    """The id a note's element is published with: `value`, or ``note-`` + `value` when the
    page frame owns it. Idempotent: a published id is never reserved.

    >>> safe_id(safe_id("__toc"))
    'note-__toc'
    """
    return PREFIX + value if is_reserved_id(value) else value


def safe_classes(value: str) -> str:
    """A note's ``class`` attribute without the `RESERVED_CLASSES`; the others keep their
    order (and the attribute its spacing when nothing goes).

    >>> safe_classes("  a\\tb  ")
    '  a\\tb  '
    """
    names = value.split()
    if RESERVED_CLASSES.isdisjoint(names):
        return value
    return " ".join(name for name in names if name not in RESERVED_CLASSES)


class SafeSlugify:
    """A heading slugify (toc's, or the site's own) whose reserved results get the prefix,
    so that toc, the table of contents and links to headings all use the published id.

    >>> from markdown.extensions.toc import slugify
    >>> SafeSlugify(slugify)("__init__", "-"), SafeSlugify(slugify)("Intro", "-")
    ('note-__init__', 'intro')
    """

    def __init__(self, inner: Any) -> None:
        self.inner = getattr(inner, "inner", inner)  # never wrapped twice

    def __call__(self, value: str, separator: str) -> str:
        return safe_id(self.inner(value, separator))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SafeSlugify) and other.inner == self.inner

    def __hash__(self) -> int:
        return hash(("SafeSlugify", self.inner))


class ReservedIds(Treeprocessor):
    """Renames the reserved ids that attribute lists (``{: #__config }``) and ``markdown="1"``
    blocks set, before toc reads the headings' ids (raw HTML is the sanitizer's)."""

    def run(self, root: Any) -> None:
        for element in root.iter():
            value = element.get("id")
            if value is not None and is_reserved_id(value):
                element.set("id", safe_id(value))


class ReservedIdsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After attr_list (8) sets ids, before toc (5) collects the headings' ids.
        md.treeprocessors.register(ReservedIds(md), "notegraph_reserved_ids", 7)


def makeExtension(**kwargs: Any) -> ReservedIdsExtension:  # noqa: N802 (Python-Markdown's name)
    return ReservedIdsExtension(**kwargs)

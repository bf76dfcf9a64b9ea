"""The Markdown extensions that render Obsidian's dialect, and how a site gets them.

`EXTENSIONS` is what every note page needs, in order: Python-Markdown's own (attribute
lists, Markdown in HTML, tables, heading ids, footnotes), pymdown-extensions' (SuperFences
for fences anywhere, with Mermaid and math fences; Highlight; Mark for ``==x==``; Tasklist
for ``- [ ]``; Arithmatex for ``$x$`` and ``$$...$$``) and notegraph's own (`callouts`,
`dialect`, `reserved`). `add_extensions` adds each one a site's ``mkdocs.yml`` lacks, with
its settings; what the site does configure is kept, except that the ``mermaid`` fence
draws into ``ng-mermaid`` (the site's own Mermaid, `assets/dialect.js`), never into
``mermaid``: Material's script would load Mermaid from a CDN for that class.

>>> names, configs = ["toc"], {"toc": {"permalink": True}}
>>> add_extensions(names, configs)
>>> names[:3], configs["toc"], configs["pymdownx.tasklist"]
(['toc', 'attr_list', 'md_in_html'], {'permalink': True}, {'custom_checkbox': True})
"""

from __future__ import annotations

from typing import Any

from pymdownx import arithmatex, superfences

__all__ = ["EXTENSIONS", "MERMAID_CLASS", "add_extensions", "mermaid_fence"]

MERMAID_CLASS = "ng-mermaid"
"""The class of a Mermaid diagram's element, which `assets/dialect.js` draws."""


def mermaid_fence() -> dict[str, Any]:
    """SuperFences' custom fence for ``mermaid``: the source in a ``div.ng-mermaid``."""
    return {"name": "mermaid", "class": MERMAID_CLASS, "format": superfences.fence_div_format}


def _math_fence() -> dict[str, Any]:
    """SuperFences' custom fence for ``math`` (as GitHub writes display math)."""
    return {
        "name": "math",
        "class": "arithmatex",
        "format": arithmatex.arithmatex_fenced_format(which="generic"),
    }


EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},
    "md_in_html": {},
    "toc": {},
    "tables": {},
    "footnotes": {},
    "pymdownx.superfences": {"custom_fences": [mermaid_fence(), _math_fence()]},
    "pymdownx.highlight": {"use_pygments": True},
    "pymdownx.mark": {},
    "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.arithmatex": {"generic": True},
    "notegraph.core.mdx.callouts": {},
    "notegraph.core.mdx.dialect": {},
    "notegraph.core.vault.reserved": {},
    "notegraph.core.base.guard": {},
}
"""Extension -> the settings notegraph gives it when the site does not configure it."""

_SAME = {"footnotes": "markdown.extensions.footnotes", "toc": "markdown.extensions.toc"}


def _present(names: list[Any], name: str) -> bool:
    aliases = {name, _SAME.get(name, name), f"markdown.extensions.{name}"}
    return any(isinstance(entry, str) and entry in aliases for entry in names)


def _own_mermaid(configs: dict[str, Any]) -> None:
    """The site's SuperFences draw ``mermaid`` into ``ng-mermaid`` (see the module)."""
    fences = configs.get("pymdownx.superfences", {}).get("custom_fences")
    if fences is None:
        return
    mermaid = [fence for fence in fences if isinstance(fence, dict) and fence.get("name")]
    if not any(fence["name"] == "mermaid" for fence in mermaid):
        fences.append(mermaid_fence())
    for fence in mermaid:
        if fence["name"] == "mermaid":
            fence["class"] = MERMAID_CLASS


def add_extensions(names: list[Any], configs: dict[str, Any]) -> None:
    """Add to a site's Markdown extensions (`names`, MkDocs' ``markdown_extensions``) and
    their settings (`configs`, MkDocs' ``mdx_configs``) every one of `EXTENSIONS` missing,
    in place."""
    for name, settings in EXTENSIONS.items():
        if _present(names, name):
            continue
        names.append(name)
        if settings and name not in configs:
            configs[name] = {key: _copy(value) for key, value in settings.items()}
    _own_mermaid(configs)


def _copy(value: Any) -> Any:
    """A fresh copy of a setting (lists of fences are changed in place by a site's config)."""
    if isinstance(value, list):
        return [dict(item) if isinstance(item, dict) else item for item in value]
    return value

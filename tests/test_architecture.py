"""The package's layers, as ARCHITECTURE.md draws them: read from the code's own imports.

Every ``import`` of every module is read (at the top, inside functions and under
``TYPE_CHECKING`` alike), so that a shortcut from a lower layer to a higher one, or a cycle,
fails here rather than in a newcomer's head.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "notegraph"
ARCHITECTURE = PACKAGE.parents[1] / "ARCHITECTURE.md"

CORE_LAYERS = ["base", "vault", "linker", "checks", "sitemap", "graph", "pages"]
"""The core's packages, lowest first: each may import only from the ones before it (and
`mdx`, the Markdown extensions, only from `base` and `vault`)."""
FRONT_ENDS = ["search", "mkdocs_plugin", "cli"]
"""What drives the core; only these may import MkDocs or the theme."""


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; ``from x import y`` gives x.y when y
    is a module of ours, else x)."""
    found: set[str] = set()
    ours = modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import (write it absolute)"
            module = node.module or ""
            for alias in node.names:
                whole = f"{module}.{alias.name}"
                found.add(whole if whole in ours else module)
    return found


def import_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    ours = modules()
    for name, path in ours.items():
        G.add_node(name)
        for target in imports(path):
            if target in ours and target != name:
                G.add_edge(name, target)
    return G


def layer(module: str) -> str:
    """``notegraph.core.vault.notes`` → ``core.vault``; ``notegraph.cli.main`` → ``cli``."""
    parts = module.split(".")
    return ".".join(parts[1:3]) if parts[1:2] == ["core"] and len(parts) > 3 else parts[1]


def test_the_package_has_no_import_cycle() -> None:
    G = import_graph()
    assert G.number_of_edges() > 100  # the walk reads the imports: it is no empty graph
    cycles = list(nx.simple_cycles(G))
    assert cycles == [], "import cycles: " + "; ".join(" → ".join(c + c[:1]) for c in cycles)


def test_the_core_imports_no_mkdocs_no_theme_and_no_front_end() -> None:
    offending = []
    for name, path in modules().items():
        if not name.startswith("notegraph.core"):
            continue
        for target in imports(path):
            top = target.split(".")[0]
            front = target.startswith(tuple(f"notegraph.{f}" for f in FRONT_ENDS))
            if top in ("mkdocs", "material", "jinja2") or front:
                offending.append(f"{name} imports {target}")
    assert offending == []


@pytest.mark.parametrize("position", range(len(CORE_LAYERS)))
def test_each_core_layer_imports_only_the_layers_below_it(position: int) -> None:
    here = f"core.{CORE_LAYERS[position]}"
    allowed = {f"core.{name}" for name in CORE_LAYERS[: position + 1]} | {"core.mdx"}
    G = import_graph()
    wrong = sorted(
        f"{source} imports {target}"
        for source, target in G.edges
        if layer(source) == here and layer(target) not in allowed
    )
    assert wrong == []


def test_the_markdown_extensions_stand_on_base_and_vault_only() -> None:
    allowed = {"core.base", "core.vault", "core.mdx"}
    G = import_graph()
    wrong = sorted(
        f"{source} imports {target}"
        for source, target in G.edges
        if layer(source) == "core.mdx" and layer(target) not in allowed
    )
    assert wrong == []


def test_the_front_ends_do_not_import_each_other_except_the_cli() -> None:
    """search is used by the plugin; the plugin by no one but MkDocs; the CLI drives both."""
    G = import_graph()
    wrong = sorted(
        f"{source} imports {target}"
        for source, target in G.edges
        if layer(source) in ("search", "core") or layer(source).startswith("core.")
        if layer(target) in ("mkdocs_plugin", "cli")
    )
    assert wrong == []


def test_architecture_md_names_every_package_and_nothing_else() -> None:
    """Its tree lists each folder of the package (a line ``name/``, vendored code aside); it
    names no folder that is gone."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index("```text")
    tree = text[start : text.index("```", start + 7)]
    named = {m.group(1) for line in tree.splitlines() if (m := re.match(r"\s*([a-z_]+)/", line))}
    folders = {
        path.name
        for path in PACKAGE.rglob("*")
        if path.is_dir()
        and path.name != "__pycache__"
        and not {"vendor", "templates"} & set(path.relative_to(PACKAGE).parts[:-1])
    }
    assert folders <= named, f"folders missing from ARCHITECTURE.md: {folders - named}"
    assert named - {"plugins"} <= folders, f"ARCHITECTURE.md names what is gone: {named - folders}"

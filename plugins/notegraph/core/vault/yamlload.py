"""Read a note's frontmatter YAML within a budget, so that no note can blow up a build.

YAML aliases (``&a [...]`` then ``*a``) let a few hundred bytes stand for billions of values
(the "billion laughs"): PyYAML builds each alias as a shared object, cheaply, but whatever
walks the value later (a message quoting it, a process receiving it) expands it all. And
each level of nesting is a level of recursion in PyYAML's composer. `load` refuses, with a
`LimitError` that says where, a document whose aliases would add more than
`MAX_ALIAS_VALUES` values, whose alias refers to the value it is part of, or that nests
deeper than `MAX_DEPTH`.

>>> load("title: A\\ntags: &t [x, y]\\naliases: *t\\n")
({'title': 'A', 'tags': ['x', 'y'], 'aliases': ['x', 'y']}, [])
>>> bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\\n" + "".join(
...     f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\\n"
...     for p, n in zip("abcdefgh", "bcdefghi"))
>>> try:
...     load(bomb)
... except LimitError as error:
...     print(error.problem, "at line", error.problem_mark.line + 1)
its aliases (*) would add more than 10,000 values at line 4
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["load", "LimitError", "MAX_ALIAS_VALUES", "MAX_DEPTH"]

MAX_ALIAS_VALUES = 10_000
"""Values that aliases may add to a document, beyond those written."""
MAX_DEPTH = 50
"""Levels of lists and mappings in one another."""


class LimitError(yaml.MarkedYAMLError):
    """A document over one of the budgets; `problem` says which, `problem_mark` where."""


class _PythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's parser in Python, for a PyYAML built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


# libyaml's parser where PyYAML has it (fast, and the messages python-frontmatter gave),
# with PyYAML's composer in Python, which `_BudgetLoader` can watch.
_Parser: Any = _PythonParser
if yaml.__with_libyaml__:
    from yaml._yaml import CParser as _Parser


# _Parser is libyaml's parser or PyYAML's, chosen at import: mypy sees Any.
class _BudgetLoader(
    yaml.composer.Composer,
    _Parser,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """PyYAML's safe loader, counting what each node stands for as it composes it."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._sizes: dict[int, int] = {}  # id(node) -> values it stands for, aliases expanded
        self._added = 0  # values the aliases added so far
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        mark: Any = self.peek_event().start_mark
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            size = self._sizes.get(id(node))
            if size is None:
                raise LimitError(
                    problem="an alias (*) refers to the value it is in", problem_mark=mark
                )
            self._added += size
            if self._added > MAX_ALIAS_VALUES:
                raise LimitError(
                    problem=f"its aliases (*) would add more than {MAX_ALIAS_VALUES:,} values",
                    problem_mark=mark,
                )
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(problem=f"it nests deeper than {MAX_DEPTH} levels", problem_mark=mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        self._sizes[id(node)] = 1 + sum(self._sizes.get(id(child), 1) for child in children)
        return node


def load(text: str) -> tuple[Any, list[tuple[str, int]]]:
    """The value of a YAML document, and its top-level keys given more than once with the
    (0-based) line of each repeat. Raises `yaml.YAMLError` (`LimitError` over a budget).

    >>> load("title: a\\ntags: x\\ntitle: b\\n")
    ({'title': 'b', 'tags': 'x'}, [('title', 2)])
    """
    loader = _BudgetLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        return loader.construct_document(node), _duplicate_keys(node)
    finally:
        loader.dispose()


def _duplicate_keys(node: yaml.Node) -> list[tuple[str, int]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    seen: set[str] = set()
    repeats: list[tuple[str, int]] = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                repeats.append((key.value, key.start_mark.line))
            seen.add(key.value)
    return repeats

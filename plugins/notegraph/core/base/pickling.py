"""Small frozen records that pickle as their fields, in the order of their constructor.

A slotted dataclass pickles as its class and a dict of its fields, and unpickling it calls
`dataclasses.fields` once per object: reading 200,000 links of a store of linked notes
(`notestore`) or a forked worker's results spent more time there than in the rest of the
unpickling. `by_fields` makes such a class pickle as ``(cls, (field, ...))``, which
unpickles by calling the constructor, two to three times faster and a little smaller.

>>> import pickle
>>> from dataclasses import dataclass
>>> @by_fields
... @dataclass(frozen=True, slots=True)
... class Point:
...     x: int
...     y: int = 0
>>> Point.__reduce__(Point(1, 2))  # doctest: +ELLIPSIS
(<class '...Point'>, (1, 2))
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["by_fields"]

C = TypeVar("C", bound=type)


def by_fields(cls: C) -> C:
    """`cls` (a dataclass whose fields are all its constructor's) pickled as its fields;
    apply it above ``@dataclass``, which makes a new class when it adds slots."""
    fields = dataclasses.fields(cls)
    if not all(field.init for field in fields):
        raise TypeError(f"{cls.__name__}: every field must be an argument of the constructor")
    names = [field.name for field in fields]
    get: Callable[[Any], Any] = operator.attrgetter(*names)
    if len(names) == 1:
        one = get

        def get(record: Any) -> tuple[Any, ...]:
            return (one(record),)

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, get(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment]
    return cls

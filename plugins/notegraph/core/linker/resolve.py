"""Resolve a wikilink target to a note, an attachment or a topic.

A target resolves, in this order, to: the note at that path from the vault root (or ending
with that path); the note with that file name; the note with that title; the note with that
alias. Names are compared with `names.fold`. When several notes match at the first rule
that matches, the one in the linking note's folder wins, then the shortest path; the
ambiguity is reported once per target. A target that matches no note is a *topic*.

>>> from notegraph.core.vault.notes import Note
>>> notes = [Note(NoteId("pm/improving_pm_skills.md"), "Getting better at PM", ""),
...          Note(NoteId("people/Ian.md"), "Ian McAllister", "", aliases=("Ian M",))]
>>> resolver = Resolver(notes, ["img/chart.png"])
>>> targets = ["Improving PM skills", "pm/improving_pm_skills", "getting better at pm", "ian m"]
>>> for target in targets:
...     print(resolver.resolve(target, NoteId("x.md")).note)
pm/improving_pm_skills.md
pm/improving_pm_skills.md
pm/improving_pm_skills.md
people/Ian.md
>>> resolver.resolve("chart.png", NoteId("x.md")).attachment
'img/chart.png'
>>> resolver.resolve("Amazon", NoteId("x.md")).topic
'amazon'
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from notegraph.core.base.names import Key, NoteId, fold, fold_path
from notegraph.core.base.pickling import by_fields
from notegraph.core.vault.notes import NOTE_SUFFIXES, Note

__all__ = ["Resolver", "Resolution"]


@by_fields
@dataclass(frozen=True, slots=True)
class Resolution:
    note: NoteId | None = None
    attachment: str | None = None
    topic: Key | None = None
    rule: str = ""
    """Which rule matched: path, name, title, alias, attachment or topic."""
    candidates: tuple[NoteId, ...] = ()
    """All notes that matched the rule, when there were several."""


def _strip_suffix(target: str) -> str:
    lowered = target.lower()
    for suffix in NOTE_SUFFIXES:
        if lowered.endswith(suffix):
            return target[: -len(suffix)]
    return target


class Resolver:
    """Index of a vault's notes and attachments by every name a link may use."""

    def __init__(self, notes: Iterable[Note], attachments: Iterable[str] = ()) -> None:
        self._path: dict[Key, list[NoteId]] = defaultdict(list)
        self._suffix: dict[Key, list[NoteId]] = defaultdict(list)
        self._name: dict[Key, list[NoteId]] = defaultdict(list)
        self._title: dict[Key, list[NoteId]] = defaultdict(list)
        self._alias: dict[Key, list[NoteId]] = defaultdict(list)
        self._attachment_path: dict[Key, list[str]] = defaultdict(list)
        self._attachment_name: dict[Key, list[str]] = defaultdict(list)
        for note in notes:
            path = fold_path(_strip_suffix(note.id))
            self._path[path].append(note.id)
            parts = path.split("/")
            for i in range(1, len(parts) - 1):
                self._suffix[Key("/".join(parts[i:]))].append(note.id)
            self._name[fold(note.stem)].append(note.id)
            self._title[fold(note.title)].append(note.id)
            for alias in note.aliases:
                self._alias[fold(alias)].append(note.id)
        for attachment in attachments:
            self._attachment_path[fold_path(attachment)].append(attachment)
            self._attachment_name[fold(posixpath.basename(attachment))].append(attachment)

    @staticmethod
    def _pick(candidates: Iterable[str], source: NoteId, spelled: str = "") -> str:
        """The one whose name is spelled exactly like the link, then the linking note's
        folder, then the shortest path, then by name."""
        folder = posixpath.dirname(source)
        name = posixpath.basename(spelled)
        return min(
            set(candidates),
            key=lambda c: (
                posixpath.basename(_strip_suffix(c)) != name,
                posixpath.dirname(c) != folder,
                c.count("/"),
                len(c),
                c,
            ),
        )

    def resolve(self, target: str, source: NoteId) -> Resolution:
        """Where a link from the note `source` to `target` (no ``#heading``) goes."""
        written = target.strip()
        target = written.strip("/") or written
        if target.startswith("./"):
            target = target[2:]
        bare = _strip_suffix(target)
        path_key = fold_path(bare)
        name_key = fold(bare)
        # titles and aliases are names, not paths: they may end in ".md" or hold slashes
        keys = dict.fromkeys((fold(written), fold(target), name_key))
        rules = (
            ("path", self._path.get(path_key)),
            ("path", self._suffix.get(path_key) if "/" in bare else None),
            ("name", self._name.get(name_key)),
            ("title", next((self._title[k] for k in keys if k in self._title), None)),
            ("alias", next((self._alias[k] for k in keys if k in self._alias), None)),
        )
        for rule, found in rules:
            if found:
                chosen = NoteId(self._pick(found, source, bare))
                many = tuple(sorted(set(found))) if len(set(found)) > 1 else ()
                return Resolution(note=chosen, rule=rule, candidates=many)
        for table, key in (
            (self._attachment_path, fold_path(target)),
            (self._attachment_name, fold(target)),
        ):
            if key in table:
                found_file = self._pick(table[key], source, target)  # exact spelling first
                return Resolution(attachment=found_file, rule="attachment")
        return Resolution(topic=fold(target), rule="topic")

"""What ``notegraph new`` writes: a note's file name, and its template filled in.

A template (``.templates/note.md`` in the vault, else `TEMPLATE`) may hold three fields:
``{{title}}``, ``{{videoId}}`` and ``{{channel}}``. The channel is the note the new one
comes from, taken from the vault (`channel_of`): the note whose ``### [Title](watch URL)``
heading lists the video, else the one note tagged ``channel``. A line holding a field that
has no value (no video, no channel) is left out, so a template works in any vault.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from notegraph.core.base.names import NoteId, fold, yaml_string
from notegraph.core.vault.notes import NOTE_SUFFIXES, parse_note
from notegraph.core.vault.video import youtube_id

__all__ = ["TEMPLATE", "note_file_name", "fill_template", "channel_of"]

TEMPLATE = Path(__file__).parent / "defaults" / "note.md"
"""The built-in note template; a vault's own ``.templates/note.md`` replaces it."""

_VIDEO_HEADING = re.compile(r"^#{1,6}[ \t]*\[[^\]\n]+\]\((?P<url>[^)\s]+)\)[ \t]*$", re.MULTILINE)
"""A hub note's heading that lists a video: ``### [Video title](https://youtube.com/...)``."""
_MAX_BYTES = 4 * 2**20
"""Notes bigger than this are not read to find the channel (a hub is rarely that big)."""


def note_file_name(title: str) -> str:
    """The snake_case file name `notegraph new` gives a note.

    >>> note_file_name("Working Backwards at Amazon's PR/FAQ"), note_file_name("Café — 2024")
    ('working_backwards_at_amazons_pr_faq.md', 'café_2024.md')
    """
    words = fold(re.sub("['\u2019]", "", title)).split()
    name = "_".join(words)[:120].rstrip("_")
    return name + ".md" if any(ch.isalnum() for ch in name) else ""


def _yaml_scalar(text: str) -> str:
    """`text` as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(text) == text and ": " not in text and " #" not in text
    except yaml.YAMLError:
        plain = False
    return text if plain and text == text.strip() else yaml_string(text)


def fill_template(template: str, title: str, video: str | None, channel: str | None = None) -> str:
    """The template with ``{{title}}``, ``{{videoId}}`` and ``{{channel}}`` filled in (the
    title YAML-quoted in the frontmatter); a line holding a field without value goes.

    >>> template = "---\\ntitle: {{title}}\\nvideoId: {{videoId}}\\n---\\n\\nFrom: [[{{channel}}]]\\n\\nText\\n"
    >>> print(fill_template(template, "Yes: no", None), end="")
    ---
    title: "Yes: no"
    ---
    <BLANKLINE>
    Text
    >>> print(fill_template(template, "Hi", "7gaPPrAd7nc", "podcast"), end="")
    ---
    title: Hi
    videoId: 7gaPPrAd7nc
    ---
    <BLANKLINE>
    From: [[podcast]]
    <BLANKLINE>
    Text
    """  # noqa: E501
    values = {"{{videoId}}": video, "{{channel}}": channel}
    out: list[str] = []
    in_frontmatter = dropped = False
    for number, line in enumerate(template.splitlines(keepends=True)):
        if line.rstrip() == "---" and (number == 0 or in_frontmatter):
            in_frontmatter = number == 0
        if any(field in line and value is None for field, value in values.items()):
            dropped = True  # and the blank line after it, if one came before it
            continue
        if dropped and not line.strip() and (not out or not out[-1].strip()):
            dropped = False
            continue
        dropped = False
        line = line.replace("{{title}}", _yaml_scalar(title) if in_frontmatter else title)
        for field, value in values.items():
            line = line.replace(field, value or "")
        out.append(line)
    return "".join(out)


def _is_channel_tag(tag: str) -> bool:
    return tag.casefold().rsplit("/", 1)[-1] == "channel"


def channel_of(vault: Path, video: str | None) -> str | None:
    """The note a new note in `vault` comes from, as a link target (its file name without
    extension), or None: the note of the vault's top folder whose ``### [Title](URL)``
    heading lists `video`, else the only one tagged ``channel`` (as the graph draws hubs).

    Only notes that mention the video id or the word "channel" are parsed, so that this
    stays quick in a vault of thousands of notes.
    """
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(vault)
            if entry.is_file(follow_symlinks=False)
            and entry.name.lower().endswith(NOTE_SUFFIXES)
            and not entry.name.startswith(".")
            and entry.stat().st_size <= _MAX_BYTES
        )
    except OSError:
        return None
    listing: list[str] = []
    tagged: list[str] = []
    for name in names:
        try:
            text = (vault / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        stem = name.rsplit(".", 1)[0]
        if video and video in text:
            found = (youtube_id(m.group("url")) for m in _VIDEO_HEADING.finditer(text))
            if video in found:
                listing.append(stem)
        if "channel" in text.casefold():
            note = parse_note(NoteId(name), text)
            if any(_is_channel_tag(tag) for tag in note.tags):
                tagged.append(stem)
    if listing:
        return listing[0]
    return tagged[0] if len(tagged) == 1 else None

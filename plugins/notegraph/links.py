"""Resolve every link of a vault once, and keep the sentence around each mention.

`link_vault` is the step between parsing and the graph: each `WikiLink` of each note gets a
`Target` (a note with an optional heading anchor, an attachment, or a topic) and every link
to a note or topic becomes a `Mention` carrying the sentence it sits in, for backlinks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .names import Key, NoteId, fold
from .notes import Note, Vault, to_plain
from .report import Report
from .resolve import Resolution, Resolver
from .wikilinks import WikiLink

__all__ = ["Target", "Mention", "Links", "link_vault", "sentence_around"]

MARK_OPEN, MARK_CLOSE = "\x01", "\x02"
_TIMESTAMP = re.compile(r"<a\b[^>]*\byt-timestamp\b[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-+*]\s|\d{1,9}[.)]\s|>|\|)")
_LINE_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-+*]\s+(?:\[.\]\s+)?|\d{1,9}[.)]\s+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\S) +([.,;:!?](?:\s|$))")
CONTEXT_CHARS = 300


@dataclass(frozen=True)
class Target:
    resolution: Resolution
    anchor: str | None = None
    """Heading id in the target note, when the link names a heading that exists."""
    self_link: bool = False


@dataclass(frozen=True)
class Mention:
    source: NoteId
    line: int
    context: str
    """Plain text of the sentence, the link's shown text between MARK_OPEN and MARK_CLOSE."""


@dataclass
class Links:
    targets: dict[tuple[NoteId, int], Target] = field(default_factory=dict)
    """Where each link goes, keyed by (note, offset of the link in its body)."""
    backlinks: dict[NoteId, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[Key, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    """Mentions of each topic (a target that is no note)."""
    spellings: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    edges: Counter[tuple[NoteId, str]] = field(default_factory=Counter)
    """(source note, target node id) -> number of links; topics are ``topic:<key>``."""
    resolved: int = 0
    """Links that reached a note, a heading or an attachment."""

    def target(self, note: Note, link: WikiLink) -> Target:
        return self.targets[(note.id, link.start)]


def topic_node(key: Key) -> str:
    return f"topic:{key}"


def _block(body: str, start: int, end: int) -> tuple[int, int]:
    """Span of the paragraph, list item, heading or table row holding body[start:end]."""
    line_start = body.rfind("\n", 0, start) + 1
    line_end = body.find("\n", end)
    line_end = len(body) if line_end == -1 else line_end
    if _BLOCK_START.match(body[line_start:line_end]):
        return line_start, line_end
    while line_start > 0:
        previous = body.rfind("\n", 0, line_start - 1) + 1
        line = body[previous : line_start - 1]
        if not line.strip() or _BLOCK_START.match(line):
            break
        line_start = previous
    while line_end < len(body):
        following = body.find("\n", line_end + 1)
        following = len(body) if following == -1 else following
        line = body[line_end + 1 : following]
        if not line.strip() or _BLOCK_START.match(line):
            break
        line_end = following
    return line_start, line_end


def sentence_around(body: str, link: WikiLink, shown: str | None = None) -> str:
    """The sentence of `body` around `link`, as plain text with the link marked.

    >>> body = "Intro. Amazon works [[Working backwards | backwards]] from a press release. Next."
    >>> link = __import__("notegraph.wikilinks").wikilinks.find_wikilinks(body)[0]
    >>> sentence_around(body, link).replace(MARK_OPEN, "<").replace(MARK_CLOSE, ">")
    'Amazon works <backwards> from a press release.'
    """
    block_start, block_end = _block(body, link.start, link.end)
    before = _TIMESTAMP.sub("", body[block_start : link.start])
    after = _TIMESTAMP.sub("", body[link.end : block_end])
    before = _LINE_PREFIX.sub("", " ".join(before.split("\n")))
    text = (
        to_plain(before + "\u2063").removesuffix("\u2063")
        + MARK_OPEN
        + (shown if shown is not None else link.shown)
        + MARK_CLOSE
        + to_plain("\u2063" + after).removeprefix("\u2063")
    )
    text = " ".join(text.replace("|", " ").split())
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    sentences = _SENTENCE_END.split(text)
    sentence = next((s for s in sentences if MARK_OPEN in s), text)
    if len(sentence) > CONTEXT_CHARS:
        at = sentence.index(MARK_OPEN)
        lo = max(0, at - CONTEXT_CHARS // 2)
        hi = min(len(sentence), lo + CONTEXT_CHARS)
        sentence = ("…" if lo else "") + sentence[lo:hi] + ("…" if hi < len(sentence) else "")
    return sentence.strip()


def _anchor(note: Note, heading: str | None) -> str | None:
    if not heading or heading.startswith("^"):
        return None
    wanted = fold(heading)
    for candidate in note.headings:
        if fold(candidate.text) == wanted or candidate.anchor == heading:
            return candidate.anchor
    return None


def link_vault(vault: Vault, report: Report) -> Links:
    """Resolve every link of every note; report ambiguous targets and missing headings."""
    resolver = Resolver(vault.notes.values(), vault.attachments)
    links = Links()
    warned_ambiguous: set[Key] = set()
    for note in vault.notes.values():
        for link in note.links:
            line, col = note.position(link.start)
            if not link.target:
                resolution = Resolution(note=note.id, rule="self")
            else:
                resolution = resolver.resolve(link.target, note.id)
            if link.markdown and resolution.topic is not None:
                report.warn(
                    note.id,
                    f"link to '{link.target}', which is not in the vault",
                    line=line,
                    col=col,
                    code="missing-file",
                )
                links.targets[(note.id, link.start)] = Target(resolution)
                continue
            key = fold(link.target)
            if resolution.candidates and key not in warned_ambiguous:
                warned_ambiguous.add(key)
                names = ", ".join(resolution.candidates)
                report.warn(
                    note.id,
                    f"'{link.target}' matches several notes by {resolution.rule}"
                    f" ({names}); linking to {resolution.note}",
                    line=line,
                    col=col,
                    code="ambiguous",
                )
            anchor = None
            if resolution.note is not None:
                target_note = vault.notes[resolution.note]
                anchor = _anchor(target_note, link.heading)
                if link.heading and not link.heading.startswith("^") and anchor is None:
                    report.warn(
                        note.id,
                        f"no heading '{link.heading}' in {target_note.id}; linking to the note",
                        line=line,
                        col=col,
                        code="heading",
                    )
            links.targets[(note.id, link.start)] = Target(
                resolution, anchor, self_link=resolution.note == note.id
            )
            if resolution.note is not None or resolution.attachment is not None:
                links.resolved += 1
            if link.embed and resolution.attachment is not None:
                continue
            if resolution.note is not None:
                if resolution.note != note.id:
                    mention = Mention(note.id, line, sentence_around(note.body, link))
                    links.backlinks[resolution.note].append(mention)
                    links.edges[(note.id, resolution.note)] += 1
            elif resolution.topic is not None:
                mention = Mention(note.id, line, sentence_around(note.body, link))
                links.mentions[resolution.topic].append(mention)
                links.spellings[resolution.topic][link.target] += 1
                links.edges[(note.id, topic_node(resolution.topic))] += 1
    return links

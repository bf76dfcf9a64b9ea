"""Resolve every link of a vault once, and keep the sentence around each mention.

`link_vault` is the step between parsing and the graph: each `WikiLink` of each note gets a
`Target` (a note with an optional heading anchor, an attachment, or a topic) and every link
to a note or topic becomes a `Mention` carrying the sentence it sits in, for backlinks.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from notegraph.core.base import progress
from notegraph.core.base.guard import guarded
from notegraph.core.base.memo import Memo, fingerprint
from notegraph.core.base.names import Key, NoteId, fold
from notegraph.core.base.parallel import map_forked
from notegraph.core.base.pickling import by_fields
from notegraph.core.base.report import Report
from notegraph.core.linker.resolve import Resolution, Resolver
from notegraph.core.linker.sentences import split_sentences, tidy_punctuation
from notegraph.core.vault import scan
from notegraph.core.vault.excerpt import (
    MARK_CLOSE,
    MARK_OPEN,
    STAMP_CLOSE,
    STAMP_OPEN,
    excerpt_text,
    link_token,
)
from notegraph.core.vault.notes import Note, Slugify, Vault, to_marked
from notegraph.core.vault.notestore import NoteStore, stable
from notegraph.core.vault.parsecache import slugify_key
from notegraph.core.vault.scan import Span, blocks
from notegraph.core.vault.video import Stamp
from notegraph.core.vault.wikilinks import WikiLink

__all__ = [
    "Target",
    "Mention",
    "Links",
    "link_vault",
    "display",
    "sentence_around",
    "sentence_before",
    "note_moments",
    "safe_moments",
]

_LINE_PREFIX = re.compile(
    r"^\s*(?:>\s*)*(?:\[![\w-]+\][+-]?\s*)?(?:#{1,6}\s+|[-+*]\s+(?:\[.\]\s+)?|\d{1,9}[.)]\s+)?"
)
"""What opens a line but is no text: quote marks, a callout's ``[!NOTE]``, a heading's
hashes, a list bullet or number, a task box."""
_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<=\S) +([.,;:!?](?:\s|$))")
_SPACE_BEFORE_PUNCTUATION_HINT = re.compile(" [.,;:!?]")
"""Found wherever the pattern above matches, and fast to look for (it opens with a space)."""
_STAMP_MARK = re.compile("\x03(\\d+)\x04")
_LEADING_STAMPS = re.compile("^(?:\x03\\d+\x04\\s*)+")
CONTEXT_CHARS = 300
CONTEXT_LINKS = 20
"""Links read on each side of a link (or a stamp) to find the sentence it is in."""
_FILE_LIKE = re.compile(r"[/_]|\.md$|^\S*-\S*$", re.IGNORECASE)
"""A target written as a path or file name: ``a/b``, ``snake_case``, ``x.md``, ``kebab-case``."""


Shown = Callable[[WikiLink], str]
"""What a reader sees for a link (`display` bound to a note and the vault)."""


@by_fields
@dataclass(frozen=True, slots=True)
class Target:
    resolution: Resolution
    anchor: str | None = None
    """Heading id in the target note, when the link names a heading that exists."""
    self_link: bool = False
    shown: str = ""
    """The link's text on the page (`display`)."""


@by_fields
@dataclass(frozen=True, slots=True)
class Mention:
    source: NoteId
    line: int
    context: str
    """The sentence as marked text (`excerpt`), the link's shown text between MARK_OPEN and
    MARK_CLOSE."""
    moments: tuple[int, ...] = ()
    """Seconds of the video moments the sentence cites (the source note's video)."""


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
    moments: dict[tuple[NoteId, str], tuple[int, ...]] = field(default_factory=dict)
    """(source note, target node id) -> seconds of the timestamped sentences the links sit in,
    sorted (only edges with any)."""
    resolved: int = 0
    """Links that reached a note, a heading or an attachment."""
    shown_in: Callable[[NoteId], Shown] = field(default=lambda _: _as_written)
    """The `display` function for links written in one note."""
    failed: set[NoteId] = field(default_factory=set)
    """Notes that could not be linked (an ``internal`` error): published as plain text."""

    def target(self, note: Note, link: WikiLink) -> Target:
        return self.targets[(note.id, link.start)]


def _as_written(link: WikiLink) -> str:
    return link.shown


def display(link: WikiLink, resolution: Resolution, notes: Mapping[NoteId, Note]) -> str:
    """The text a reader sees for `link`: its alias; else, when the link is written as a path
    or a file name (`_FILE_LIKE`) and names a note by it, that note's title
    (``[[people/ian_m]]`` shows "Ian M"); else what was written.

    >>> from notegraph.core.vault.wikilinks import find_wikilinks
    >>> notes = {NoteId("ian_m.md"): Note(NoteId("ian_m.md"), "Ian M", "")}
    >>> by_name = Resolution(note=NoteId("ian_m.md"), rule="name")
    >>> written = find_wikilinks("[[ian_m#Early years]] [[ian_m|him]]")
    >>> [display(link, by_name, notes) for link in written]
    ['Ian M > Early years', 'him']
    >>> display(find_wikilinks("[[Amazon]]")[0], Resolution(topic=Key("amazon")), notes)
    'Amazon'
    """
    if link.alias or resolution.note is None or resolution.rule not in ("path", "name"):
        return link.shown
    if not _FILE_LIKE.search(link.target):
        return link.shown
    title = notes[resolution.note].title
    heading = (link.heading or "").lstrip("^")
    return f"{title} > {heading}" if heading else title


def topic_node(key: Key) -> str:
    return f"topic:{key}"


def _block(spans: list[Span], start: int) -> Span:
    """The block (see `blocks`) holding the offset `start`."""
    index = bisect.bisect_right(spans, start, key=lambda span: span[0]) - 1
    return spans[index] if index >= 0 else (start, start)


def _marked(
    note: Note, lo: int, hi: int, shown: Shown = _as_written, mention: WikiLink | None = None
) -> str:
    """note.body[lo:hi] as the Markdown of an excerpt: every timestamp replaced by a marker
    of its index in `Note.stamps` (a stamp with no time, or in a note without a video, is
    dropped), every link by its shown text marked (`excerpt`: `mention`
    as the link quoted, the others by their offset; embeds dropped), comments and block
    ids dropped, and each line without what opens it (`_LINE_PREFIX`)."""
    edits: list[tuple[int, int, str]] = []
    for index, start, end, timed in note.stamps.spans(lo, hi):
        if end <= hi:
            valid = timed and note.video is not None
            edits.append((start, end, f"{STAMP_OPEN}{index}{STAMP_CLOSE}" * valid))
    first = bisect.bisect_left(note.links, lo, key=lambda link: link.start)
    for link in note.links[first:]:
        if link.start >= hi:
            break
        if link.end <= hi:
            if link is mention:
                text = MARK_OPEN + shown(link) + MARK_CLOSE
            else:
                text = "" if link.embed else link_token(shown(link), link.start)
            edits.append((link.start, link.end, text))
    comments = note.masked.comments if note.masked is not None else ()
    edits += [(start, end, "") for start, end in comments if lo <= start < hi]
    out: list[str] = []
    position = lo
    for start, end, text in sorted(edits, key=lambda edit: edit[0]):
        if start < position:  # inside an edit already made
            continue
        out += [note.body[position:start], text]
        position = min(end, hi)
    out.append(note.body[position:hi])
    lines = "".join(out).split("\n")
    at_line_start = lo == 0 or note.body[lo - 1] == "\n"
    return " ".join(
        _bare(line) if i or at_line_start else _without_block_id(line)
        for i, line in enumerate(lines)
    )


def _without_block_id(line: str) -> str:
    return scan.BLOCK_ID.sub("", line) if "^" in line else line


def _bare(line: str) -> str:
    """A line without what opens it (`_LINE_PREFIX`) and its block id."""
    return _without_block_id(_LINE_PREFIX.sub("", line))


def _window(note: Note, span: Span, lo: int, hi: int) -> Span:
    """[lo, hi) narrowed to twice the context width around `span` (a link or a stamp),
    cut at spaces (else anywhere) outside links and timestamps: the text read around one
    link or stamp is bounded, however long its paragraph.
    """
    start, end = span
    index = bisect.bisect_left(note.links, start, key=lambda link: link.start)
    # At most CONTEXT_LINKS links on each side: a line of nothing but links is read in as
    # small windows as a line of prose.
    before = note.links[index - CONTEXT_LINKS].start if index >= CONTEXT_LINKS else lo
    after = index + CONTEXT_LINKS + (index < len(note.links) and note.links[index].start == start)
    beyond = note.links[after].start if after < len(note.links) else hi
    reach = 2 * CONTEXT_CHARS
    if start - lo > reach or before > lo:
        edge = max(start - reach, before)
        cut = note.body.find(" ", edge, start)
        lo = _outside_links(note, cut + 1 if cut != -1 else edge, after=True)
    if hi - end > reach or beyond < hi:
        edge = min(end + reach, beyond)
        cut = note.body.rfind(" ", end, edge)
        hi = _outside_links(note, cut if cut != -1 else edge, after=False)
    return lo, hi


def _outside_links(note: Note, offset: int, after: bool) -> int:
    """`offset`, or the edge of the link or timestamp it falls in (its end when `after`)."""
    links = note.links
    index = bisect.bisect_right(links, offset, key=lambda link: link.start) - 1
    if index >= 0 and links[index].start < offset < links[index].end:
        offset = links[index].end if after else links[index].start
    index = bisect.bisect_right(note.stamps.starts, offset) - 1
    if index >= 0:
        start, end = note.stamps.span(index)
        if start < offset < end:
            offset = end if after else start
    return offset


def _tidy(text: str) -> str:
    text = " ".join(text.replace("|", " ").split())
    if _SPACE_BEFORE_PUNCTUATION_HINT.search(text):
        text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    return tidy_punctuation(text)


def _shorten(sentence: str, around: int) -> str:
    if len(sentence) <= CONTEXT_CHARS:
        return sentence
    lo = max(0, around - CONTEXT_CHARS // 2)
    hi = min(len(sentence), lo + CONTEXT_CHARS)
    return ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")


def _stamps_in(text: str) -> list[int]:
    """Indexes (in `Note.stamps`) of the stamp markers in a text."""
    return [int(index) for index in _STAMP_MARK.findall(text)]


def sentence_around(
    note: Note, link: WikiLink, shown: Shown = _as_written, spans: list[Span] | None = None
) -> tuple[str, tuple[int, ...]]:
    """The sentence around `link` as plain text with the link marked, and its moments.

    Moments are the seconds of the timestamps in the sentence (or right after it, where
    notes put them). `shown` gives each link's text; `spans` are the note's `blocks`
    (computed here when not given).

    >>> from notegraph.core.vault.notes import parse_note
    >>> note = parse_note("a.md", "---\\nvideoId: 7gaPPrAd7nc\\n---\\nIntro. Amazon works "
    ...     "[[Working backwards | backwards]] from a press release [01:02]. Next.")
    >>> text, moments = sentence_around(note, note.links[0])
    >>> text.replace(MARK_OPEN, "<").replace(MARK_CLOSE, ">"), moments
    ('Amazon works <backwards> from a press release.', (62,))
    """
    block = _block(spans if spans is not None else blocks(note.body), link.start)
    block_start, block_end = _window(note, (link.start, link.end), *block)
    text = _tidy(  # one piece: emphasis around the link pairs its marks across it
        ("…" if block_start > block[0] else "")
        + to_marked(_marked(note, block_start, block_end, shown, link))
        + ("…" if block_end < block[1] else "")
    )
    sentences = split_sentences(text)
    index = next((i for i, s in enumerate(sentences) if MARK_OPEN in s), 0)
    sentence = sentences[index]
    if index:  # stamps that open a sentence belong to the one before
        sentence = _LEADING_STAMPS.sub("", sentence)
    following = _LEADING_STAMPS.match(sentences[index + 1]) if index + 1 < len(sentences) else None
    if following:
        sentence += " " + following.group(0)
    seconds = (note.stamps[i].seconds for i in _stamps_in(sentence))
    moments = tuple(dict.fromkeys(s for s in seconds if s is not None))
    sentence = _tidy(_STAMP_MARK.sub("", sentence))
    return _shorten(sentence, sentence.find(MARK_OPEN)), moments


def _supports(note: Note, lo: int, hi: int, shown: Shown) -> dict[int, str]:
    """The sentence each timestamp of note.body[lo:hi] supports, by index of the stamp.

    A stamp supports the sentence it stands in, or the one before when it opens a sentence
    (notes put stamps after the full stop too).
    """
    text = _tidy(to_marked(_marked(note, lo, hi, shown)))
    supports: dict[int, str] = {}
    carry = ""  # the last sentence with words
    for sentence in split_sentences(text):
        lead = _LEADING_STAMPS.match(sentence)
        if lead and carry:
            supports.update(dict.fromkeys(_stamps_in(lead.group(0)), _shorten(carry, len(carry))))
            sentence = sentence[lead.end() :]
        clean = _tidy(_STAMP_MARK.sub("", sentence))
        clean = clean if any(ch.isalnum() for ch in clean) else ""  # not a lone "]."
        supported = _shorten(clean or carry, len(clean or carry))
        supports.update(dict.fromkeys(_stamps_in(sentence), supported))
        carry = clean or carry
    return supports


def note_moments(note: Note, shown: Shown = _as_written) -> list[tuple[Stamp, str]]:
    """Every valid timestamp of a note with the sentence it supports, in body order.

    A stamp supports the sentence it stands in, or the one before when it opens a sentence
    (notes put stamps after the full stop too). A paragraph of a few sentences is read once;
    in a longer one, each stamp's sentence is read from the text around it (`_window`), so
    that the work stays linear in the note. `shown` gives each link's text. A stamp whose
    sentence cannot be told (a stamp inside a link's address) supports an empty one.

    >>> from notegraph.core.vault.notes import parse_note
    >>> text = "---\\nvideoId: 7gaPPrAd7nc\\n---\\nOne [00:01]. Two **big** [00:02]. [00:03]"
    >>> from notegraph.core.vault.excerpt import excerpt_html
    >>> [(stamp.seconds, excerpt_html(sentence, str))
    ...  for stamp, sentence in note_moments(parse_note("a.md", text))]
    [(1, 'One.'), (2, 'Two <strong>big</strong>.'), (3, 'Two <strong>big</strong>.')]
    """
    if note.video is None:
        return []
    valid = note.stamps.timed()
    starts = note.stamps.starts
    spans = blocks(note.body) if valid else []
    supports: dict[int, str] = {}
    position = 0
    while position < len(valid):
        lo, hi = _block(spans, starts[valid[position]])
        if hi - lo <= 4 * CONTEXT_CHARS:  # the whole paragraph at once
            supports.update(_supports(note, lo, hi, shown))
            while position < len(valid) and starts[valid[position]] < hi:
                position += 1
        else:
            window = _window(note, note.stamps.span(valid[position]), lo, hi)
            supports[valid[position]] = _supports(note, *window, shown).get(valid[position], "")
            position += 1
    return [(note.stamps[i], supports.get(i, "")) for i in valid]


def _link_alone(link: WikiLink, shown: Shown) -> tuple[str, tuple[int, ...]]:
    """A link's context when its sentence cannot be found: the link alone, no moment."""
    return MARK_OPEN + shown(link) + MARK_CLOSE, ()


def safe_moments(note: Note, shown: Shown, report: Report) -> list[tuple[Stamp, str]]:
    """`note_moments`, or none if it fails (a bug: reported as an error). The build's video
    pages and ``notegraph check`` both call this, so both report the same failure."""
    return guarded(
        report,
        note.id,
        "find the moments of this note",
        lambda: note_moments(note, shown),
        list,
        outcome="its moments are left out of its video's page",
    )


def sentence_before(note: Note, stamp: Stamp) -> str:
    """The sentence one timestamp supports (see `note_moments`) as plain text; empty if none.

    >>> from notegraph.core.vault.notes import parse_note
    >>> text = "---\\nvideoId: 7gaPPrAd7nc\\n---\\nOne [00:01]. Two **big** [00:02]."
    >>> note = parse_note("a.md", text)
    >>> sentence_before(note, note.stamps[1])
    'Two big.'
    """
    return excerpt_text(next((sentence for s, sentence in note_moments(note) if s == stamp), ""))


def _anchor(note: Note, heading: str | None) -> str | None:
    if not heading or heading.startswith("^"):
        return None
    wanted = fold(heading)
    for candidate in note.headings:
        if fold(candidate.text) == wanted or candidate.anchor == heading:
            return candidate.anchor
    return None


@dataclass(slots=True)
class _NoteLinks:
    """What one note's links give (see `_link_note`), before they are merged into `Links`."""

    targets: list[tuple[int, Target]] = field(default_factory=list)
    mentions: list[tuple[Mention, NoteId | None, Key | None, str]] = field(default_factory=list)
    """(mention, note it links to, or topic it names, as spelled)"""
    resolved: int = 0
    findings: list[tuple[int, int, str, str, Key | None]] = field(default_factory=list)
    """(line, column, code, message, target of an ambiguity: reported once per vault)"""
    errors: Report = field(default_factory=Report)
    """What failed (`guard.guarded`), to report as it is."""
    failed: bool = False
    """Linking the note failed: its page shows its text as plain text."""

    def find(
        self, at: tuple[int, int], message: str, *, code: str, once: Key | None = None
    ) -> None:
        self.findings.append((*at, code, message, once))


def _link_note(
    note: Note, resolve: Callable[[WikiLink, NoteId], Resolution], shown: Shown, vault: Vault
) -> _NoteLinks:
    """Resolve the links of one note: where each goes and the sentence around it (`shown`
    gives the text of the other links in it)."""
    out = _NoteLinks()
    spans = blocks(note.body) if note.links else []
    for link in note.links:
        line, col = note.position(link.start)
        found = _lookup(link, note.id, resolve, vault)
        resolution = found.resolution
        if link.markdown and resolution.topic is not None:
            where = (
                "a file the site does not publish"
                if found.unpublished
                else "which is not in the vault"
            )
            out.find((line, col), f"link to '{link.target}', {where}", code="missing-file")
            out.targets.append((link.start, Target(resolution)))
            continue
        if resolution.candidates:
            names = ", ".join(resolution.candidates)
            message = (
                f"'{link.target}' matches several notes by {resolution.rule}"
                f" ({names}); linking to {resolution.note}"
            )
            out.find((line, col), message, code="ambiguous", once=fold(link.target))
        anchor = found.anchor
        heading = link.heading and not link.heading.startswith("^")
        if resolution.note is not None and heading and anchor is None:
            message = f"no heading '{link.heading}' in {resolution.note}; linking to the note"
            out.find((line, col), message, code="heading")
        target = Target(resolution, anchor, self_link=resolution.note == note.id, shown=found.shown)
        out.targets.append((link.start, target))
        if resolution.note is not None or resolution.attachment is not None:
            out.resolved += 1
        if link.embed and resolution.attachment is not None:
            continue
        if resolution.note == note.id or (resolution.note is None and resolution.topic is None):
            continue
        context, moments = guarded(
            out.errors,
            note.id,
            "find the sentence around this link",
            functools.partial(sentence_around, note, link, shown, spans),
            functools.partial(_link_alone, link, shown),
            outcome="backlinks show the link without its sentence",
            line=line,
        )
        mention = Mention(note.id, line, context, moments)
        out.mentions.append((mention, resolution.note, resolution.topic, link.target))
    return out


def _link_note_safely(
    note: Note, resolve: Callable[[WikiLink, NoteId], Resolution], shown: Shown, vault: Vault
) -> _NoteLinks:
    """`_link_note`, or, if it fails (a bug: reported), no links from the note, whose page
    then shows its text as plain text."""
    errors = Report()
    found = guarded(
        errors,
        note.id,
        "link this note",
        lambda: _link_note(note, resolve, shown, vault),
        lambda: _NoteLinks(failed=True),
        outcome="its page shows its text as plain text, and its links are left out",
    )
    found.errors.extend(errors.diagnostics)
    return found


def link_vault(
    vault: Vault,
    report: Report,
    memo: Memo | None = None,
    workers: int = 1,
    store: NoteStore | None = None,
) -> Links:
    """Resolve every link of every note; report ambiguous targets and missing headings.

    With a `memo` (live preview), a note whose text and the vault's names (paths, titles,
    aliases, headings) are unchanged since the last build keeps its results. Without, notes
    are linked in `workers` processes (`parallel.map_forked`), those a `store` (from
    `link_store`: an earlier build's, for the same names) holds for their text excepted.
    """
    resolver = Resolver(vault.notes.values(), vault.attachments)

    def resolve(link: WikiLink, source: NoteId) -> Resolution:
        if not link.target:
            return Resolution(note=source, rule="self")
        return resolver.resolve(link.target, source)

    def shown_in(source: NoteId) -> Shown:
        shown: dict[str, str] = {}  # by the link as written: a sentence is read many times

        def show(link: WikiLink) -> str:
            if link.raw not in shown:
                shown[link.raw] = display(link, resolve(link, source), vault.notes)
            return shown[link.raw]

        return show

    names = names_fingerprint(vault) if memo is not None else ""
    links = Links(shown_in=shown_in)
    warned_ambiguous: set[Key] = set()
    notes = list(vault.notes.values())
    if memo is None:
        keys: dict[NoteId, str] = {}
        if store is not None:  # what each note's links are made of: its text, their lookups
            for note in notes:
                read = _lookups(note, resolve, vault)
                keys[note.id] = f"{vault.digests[note.id]} {read}" if read else ""
        kept = _stored(store, keys, notes)
        missing = [note for note in notes if note.id not in kept]
        progress.advance(len(kept))
        made = map_forked(
            lambda note: _link_note_safely(note, resolve, shown_in(note.id), vault),
            missing,
            workers,
        )
        kept.update(zip((note.id for note in missing), made, strict=True))
        results = [kept[note.id] for note in notes]
        if store is not None:
            store.save({note.id: (keys[note.id], kept[note.id], ()) for note in notes})
    else:
        results = [
            memo.get(
                ("links", note.id, id(note), names),
                note,
                functools.partial(_link_note_safely, note, resolve, shown_in(note.id), vault),
            )
            for note in notes
        ]
    # Equal targets and topic node ids are kept once: 200,000 links name far fewer.
    shared_targets: dict[Target, Target] = {}
    topic_nodes: dict[Key, str] = {}
    moments: defaultdict[tuple[NoteId, str], set[int]] = defaultdict(set)
    for note, found in zip(notes, results, strict=True):
        report.extend(found.errors.diagnostics)
        if found.failed:
            links.failed.add(note.id)
        for line, col, code, message, ambiguous in found.findings:
            if ambiguous is not None:
                if ambiguous in warned_ambiguous:
                    continue
                warned_ambiguous.add(ambiguous)
            report.warn(note.id, message, line=line, col=col, code=code)
        for start, target in found.targets:
            links.targets[(note.id, start)] = shared_targets.setdefault(target, target)
        links.resolved += found.resolved
        for mention, to_note, topic, spelled in found.mentions:
            if to_note is not None:
                node: str = to_note
                links.backlinks[to_note].append(mention)
            else:
                assert topic is not None
                node = topic_nodes.get(topic) or topic_nodes.setdefault(topic, topic_node(topic))
                links.mentions[topic].append(mention)
                links.spellings[topic][spelled] += 1
            edge = (note.id, node)
            links.edges[edge] += 1
            if mention.moments:
                moments[edge].update(mention.moments)
    # Kept as sorted tuples: a set takes 216 bytes at least, and a video wiki has a set for
    # most of its 200,000 edges.
    links.moments = {edge: tuple(sorted(seconds)) for edge, seconds in moments.items()}
    return links


def link_store(
    folder: Path | None, vault: Vault, slugify: Slugify, reuse: bool = True
) -> NoteStore | None:
    """The store of linked notes in `folder`. An entry holds for a note whose text and
    lookups (`_lookups`: where its links resolve, what they show) are those it was made
    from: a renamed note, a new title, alias or heading, links only the notes whose links
    it changes again."""
    key = slugify_key(slugify)
    if folder is None or not stable(key):
        return None
    return NoteStore(folder, repr(key), "linked notes", reuse)


@dataclass(frozen=True, slots=True)
class _Lookup:
    """What linking reads of the vault for one link, besides the linking note's text."""

    resolution: Resolution
    anchor: str | None
    """The heading id the link names in the note it reaches, when that note has it."""
    shown: str
    """The link's text on the page (`display`)."""
    unpublished: bool
    """A Markdown link to a file the site leaves out."""


def _lookup(
    link: WikiLink, source: NoteId, resolve: Callable[[WikiLink, NoteId], Resolution], vault: Vault
) -> _Lookup:
    resolution = resolve(link, source)
    target = vault.notes.get(resolution.note) if resolution.note is not None else None
    return _Lookup(
        resolution,
        _anchor(target, link.heading) if target is not None else None,
        display(link, resolution, vault.notes),
        link.markdown and link.target in vault.unpublished,
    )


def _lookups(note: Note, resolve: Callable[[WikiLink, NoteId], Resolution], vault: Vault) -> str:
    """A digest of everything linking `note` reads besides its text (`_link_note`): each
    link's `_lookup`. "" when it cannot be told (the note is linked again, and any failure
    reported then)."""
    try:
        return fingerprint([_lookup(link, note.id, resolve, vault) for link in note.links])
    except Exception:  # a bug, reported when the note is linked
        return ""


def _stored(
    store: NoteStore | None, keys: Mapping[NoteId, str], notes: list[Note]
) -> dict[NoteId, _NoteLinks]:
    """The links of `notes` that `store` holds for their very text and lookups (`keys`)."""
    if store is None:
        return {}
    found = store.load(note.id for note in notes)
    return {
        note.id: entry[1]
        for note in notes
        if (entry := found.get(note.id)) is not None and entry[0] == keys[note.id] != ""
    }


def names_fingerprint(vault: Vault) -> str:
    """What resolving any link may depend on besides the linking note: every note's path,
    title, aliases and headings, and the vault's other files."""
    return fingerprint(
        [
            [note.id, note.title, note.aliases, [(h.text, h.anchor) for h in note.headings]]
            for note in vault.notes.values()
        ]
        + [sorted(vault.attachments), sorted(vault.unpublished)]
    )

"""Tables for `resolve.Resolver`: rules in order, their precedence, name folding,
ambiguity, attachments and topics."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest
from notegraph.core.base.names import NoteId, fold
from notegraph.core.linker.resolve import Resolver
from notegraph.core.vault.notes import Note, parse_note


def note(path: str, title: str | None = None, aliases: tuple[str, ...] = ()) -> Note:
    """A note whose title is its file name unless given."""
    return Note(NoteId(path), title or PurePosixPath(path).stem, "", aliases=aliases)


def resolver(*notes: Note, attachments: tuple[str, ...] = ()) -> Resolver:
    return Resolver(notes, attachments)


SOURCE = NoteId("elsewhere/source.md")

# One rule at a time: (notes, target, expected note, rule)
RULES = [
    (
        "path from the vault root",
        [note("pm/Tips.md"), note("x/pm/Tips.md")],
        "pm/Tips",
        "pm/Tips.md",
        "path",
    ),
    ("path of a note at the root", [note("Tips.md")], "Tips", "Tips.md", "path"),
    ("path with a leading slash", [note("pm/Tips.md")], "/pm/Tips", "pm/Tips.md", "path"),
    ("path with a leading ./", [note("pm/Tips.md")], "./pm/Tips", "pm/Tips.md", "path"),
    ("path suffix", [note("a/folder/T.md")], "folder/T", "a/folder/T.md", "path"),
    ("longer path suffix", [note("x/a/folder/T.md")], "a/folder/T", "x/a/folder/T.md", "path"),
    ("file name", [note("deep/in/here/Tips.md")], "Tips", "deep/in/here/Tips.md", "name"),
    ("title", [note("p/ian.md", "Ian McAllister")], "Ian McAllister", "p/ian.md", "title"),
    ("alias", [note("p/ian.md", "Ian McAllister", ("Ian M",))], "Ian M", "p/ian.md", "alias"),
    ("second alias", [note("p/ian.md", aliases=("Ian M", "IM"))], "IM", "p/ian.md", "alias"),
]


@pytest.mark.parametrize(
    ("notes", "target", "expected", "rule"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_each_rule(notes: list[Note], target: str, expected: str, rule: str) -> None:
    found = resolver(*notes).resolve(target, SOURCE)
    assert (found.note, found.rule) == (expected, rule)
    assert found.topic is None and found.attachment is None and found.candidates == ()


# Two notes match by different rules: the earlier rule wins.
PRECEDENCE = [
    (
        "path beats name (even from the other note's folder)",
        [note("T.md"), note("x/T.md")],
        "T",
        NoteId("x/source.md"),
        "T.md",
        "path",
    ),
    (
        "path suffix beats name",
        [note("a/folder/T.md"), note("folder T.md")],
        "folder/T",
        SOURCE,
        "a/folder/T.md",
        "path",
    ),
    (
        "name beats title",
        [note("p/A.md", "Bee"), note("q/Bee.md", "Other")],
        "Bee",
        SOURCE,
        "q/Bee.md",
        "name",
    ),
    (
        "title beats alias",
        [note("q/C.md", "Dee"), note("q/E.md", "F", ("Dee",))],
        "Dee",
        SOURCE,
        "q/C.md",
        "title",
    ),
    (
        "name beats alias",
        [note("r/G.md", aliases=("H",)), note("s/H.md")],
        "H",
        SOURCE,
        "s/H.md",
        "name",
    ),
]


@pytest.mark.parametrize(
    ("notes", "target", "source", "expected", "rule"),
    [p[1:] for p in PRECEDENCE],
    ids=[p[0] for p in PRECEDENCE],
)
def test_precedence(
    notes: list[Note], target: str, source: NoteId, expected: str, rule: str
) -> None:
    found = resolver(*notes).resolve(target, source)
    assert (found.note, found.rule) == (expected, rule)
    # The note that matched by a later rule is not reported as an ambiguity.
    assert found.candidates == ()


FOLDING = [
    ("Improving product management skills", "improving_product_management_skills.md"),
    ("improving-product-management-skills", "improving_product_management_skills.md"),
    ("IMPROVING  product_management-skills!", "improving_product_management_skills.md"),
    ("ＡＭＡＺＯＮ", "Amazon.md"),
    ("\u2068Amazon\u2069", "Amazon.md"),
    ("Ama\u200bzon", "Amazon.md"),
    ("amazon", "Amazon.md"),
    ("Working Backwards (Amazon)", "pm/working-backwards-amazon.md"),
    ("PM/Working_Backwards_Amazon", "pm/working-backwards-amazon.md"),
    ("Café", "Cafe\u0301.md"),  # composed vs decomposed é
    ("Ian McAllister", "people/ian.md"),  # title, folded
    ("ＩＡＮ\u200b-m", "people/ian.md"),  # alias, folded
]


@pytest.mark.parametrize(("target", "expected"), FOLDING)
def test_folding(target: str, expected: str) -> None:
    found = resolver(
        note("improving_product_management_skills.md"),
        note("Amazon.md"),
        note("pm/working-backwards-amazon.md"),
        note("Cafe\u0301.md"),
        note("people/ian.md", "Ian_McAllister", ("Ian M",)),
    ).resolve(target, SOURCE)
    assert found.note == expected


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("Tips.md", "pm/Tips.md"),
        ("pm/Tips.md", "pm/Tips.md"),
        ("tips.MD", "pm/Tips.md"),
        ("Tips.markdown", "pm/Tips.md"),
        ("folder/T.md", "a/folder/T.md"),
    ],
)
def test_note_suffix_in_target(target: str, expected: str) -> None:
    found = resolver(note("pm/Tips.md"), note("a/folder/T.md")).resolve(target, SOURCE)
    assert found.note == expected


# (notes that match, target, linking note, chosen)
AMBIGUOUS = [
    ("linking note's folder wins", ["a/Dup.md", "b/Dup.md"], "Dup", "b/source.md", "b/Dup.md"),
    (
        "folder wins over a shorter path",
        ["a/Dup.md", "b/c/d/Dup.md"],
        "Dup",
        "b/c/d/s.md",
        "b/c/d/Dup.md",
    ),
    (
        "then the shallowest path",
        ["dup1/Same.md", "dup2/sub/Same.md"],
        "Same",
        "z/s.md",
        "dup1/Same.md",
    ),
    ("then the shortest path", ["abc/Same.md", "ab/Same.md"], "Same", "z/s.md", "ab/Same.md"),
    ("same length: alphabetical", ["b/Same.md", "a/Same.md"], "Same", "z/s.md", "a/Same.md"),
    (
        "path suffix matches twice",
        ["x/folder/T.md", "y/folder/T.md"],
        "folder/T",
        "y/folder/s.md",
        "y/folder/T.md",
    ),
]


@pytest.mark.parametrize(
    ("paths", "target", "source", "expected"),
    [a[1:] for a in AMBIGUOUS],
    ids=[a[0] for a in AMBIGUOUS],
)
def test_ambiguous(paths: list[str], target: str, source: str, expected: str) -> None:
    found = resolver(*(note(p) for p in paths)).resolve(target, NoteId(source))
    assert found.note == expected
    assert found.candidates == tuple(sorted(paths))


def test_ambiguous_candidates_list_every_match() -> None:
    notes = [note("a/Same.md"), note("b/Same.md"), note("c/d/Same.md"), note("Other.md")]
    found = resolver(*notes).resolve("same", SOURCE)
    assert found.note == "a/Same.md"
    assert found.candidates == ("a/Same.md", "b/Same.md", "c/d/Same.md")
    assert found.rule == "name"


def test_ambiguous_titles_and_aliases() -> None:
    r = resolver(note("a/x.md", "Same title", ("Nick",)), note("b/y.md", "Same title", ("Nick",)))
    by_title = r.resolve("same title", NoteId("b/s.md"))
    by_alias = r.resolve("nick", NoteId("a/s.md"))
    assert (by_title.note, by_title.rule, by_title.candidates) == (
        "b/y.md",
        "title",
        ("a/x.md", "b/y.md"),
    )
    assert (by_alias.note, by_alias.rule, by_alias.candidates) == (
        "a/x.md",
        "alias",
        ("a/x.md", "b/y.md"),
    )


ATTACHMENTS = ("img/chart.png", "docs/Paper.PDF", "img/My Photo.jpg", "x/A.png", "x/a.png")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("img/chart.png", "img/chart.png"),
        ("chart.png", "img/chart.png"),
        ("Chart.PNG", "img/chart.png"),
        ("paper.pdf", "docs/Paper.PDF"),
        ("docs/paper.pdf", "docs/Paper.PDF"),
        ("my_photo.jpg", "img/My Photo.jpg"),
        ("/img/chart.png", "img/chart.png"),
        ("x/a.png", "x/a.png"),  # names that differ by case: the one spelled so wins
        ("x/A.png", "x/A.png"),
        ("a.png", "x/a.png"),
    ],
)
def test_attachments(target: str, expected: str) -> None:
    found = resolver(note("chart.md"), attachments=ATTACHMENTS).resolve(target, SOURCE)
    assert (found.attachment, found.note, found.topic, found.rule) == (
        expected,
        None,
        None,
        "attachment",
    )


def test_note_wins_over_attachment_of_the_same_name() -> None:
    found = resolver(note("chart.md"), attachments=ATTACHMENTS).resolve("chart", SOURCE)
    assert (found.note, found.attachment) == ("chart.md", None)


@pytest.mark.parametrize("source", ["a/note.md", "b/note.md"])
def test_ambiguous_attachment_prefers_linking_notes_folder(source: str) -> None:
    # Two notes, each with its own pasted image of the same name, each must show its own.
    found = resolver(attachments=("a/image.png", "b/image.png")).resolve(
        "image.png", NoteId(source)
    )
    assert found.attachment == PurePosixPath(source).parent.as_posix() + "/image.png"


@pytest.mark.parametrize(
    "target",
    ["Amazon", "  Working Backwards  ", "ＡＭＡＺＯＮ\u2069", "Nope.md", "folder/Unknown", "???"],
)
def test_unresolved_is_a_topic(target: str) -> None:
    found = resolver(note("pm/Tips.md"), attachments=ATTACHMENTS).resolve(target, SOURCE)
    assert (found.note, found.attachment, found.rule) == (None, None, "topic")
    assert found.topic == fold(target)


def test_spellings_of_a_topic_share_one_key() -> None:
    r = resolver(note("pm/Tips.md"))
    keys = {r.resolve(t, SOURCE).topic for t in ["Amazon", "amazon", "AMAZON", "ａｍａｚｏｎ"]}
    assert keys == {"amazon"}


def test_notes_from_parse_note() -> None:
    ian = parse_note(NoteId("people/Ian.md"), "---\naliases: [Ian M]\n---\n# Ian McAllister\n")
    tips = parse_note(NoteId("pm/Tips.md"), "---\ntitle: Tips & tricks\n---\nbody\n")
    r = Resolver([ian, tips])
    got = {
        t: (r.resolve(t, SOURCE).note, r.resolve(t, SOURCE).rule)
        for t in ["Ian McAllister", "ian m", "tips & TRICKS", "Tips", "people/ian"]
    }
    assert got == {
        "Ian McAllister": ("people/Ian.md", "title"),
        "ian m": ("people/Ian.md", "alias"),
        "tips & TRICKS": ("pm/Tips.md", "title"),
        "Tips": ("pm/Tips.md", "name"),
        "people/ian": ("people/Ian.md", "path"),
    }

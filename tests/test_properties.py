"""Properties of the parsers that read strangers' text: they hold for any input at all.

Hypothesis feeds the wikilink parser (`find_wikilinks`, `mask`), the name normalizer
(`fold`, `fold_path`, `slug`) and the resolver (`Resolver`) arbitrary Unicode, control
characters included (surrogates cannot be in a decoded file, so they are left out).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from notegraph.core.base.names import MAX_SLUG_BYTES, NoteId, fold, fold_path, slug
from notegraph.core.base.urls import relative_path
from notegraph.core.linker.resolve import Resolver
from notegraph.core.vault.notes import Note
from notegraph.core.vault.scan import mask
from notegraph.core.vault.wikilinks import find_wikilinks

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any text a file can hold once decoded: every code point but surrogates.
any_text = st.text(st.characters(exclude_categories=("Cs",)))
# Text dense in the characters the parsers care about, so that links and code really occur.
MARKUP = "[[]]|#!`~%<>-\\ \n\t>*_"
markup_text = st.text(
    st.one_of(st.sampled_from(MARKUP), st.characters(exclude_categories=("Cs",))), max_size=300
)
texts = st.one_of(any_text, markup_text)


# --- the wikilink parser ------------------------------------------------------------------------


@FAST
@given(texts)
@example("[[a]] `[[b]]` [[c|d]] ![[e#f|300]] %% [[g]] %% <!-- [[h]] -->")
@example("[" * 50 + "x" + "]" * 50)
def test_links_are_where_they_say_and_do_not_overlap(text):
    links = find_wikilinks(text)
    previous_end = 0
    for link in links:
        assert 0 <= link.start < link.end <= len(text)
        assert link.start >= previous_end, "links overlap or are out of order"
        assert text[link.start : link.end] == link.raw
        assert link.raw.startswith(("[[", "![[")) and link.raw.endswith("]]")
        assert link.target or link.heading
        previous_end = link.end


@FAST
@given(texts)
@example("```\n[[x]]\n```\n    [[y]]\n`[[z]]` %% c %% <!-- d")
def test_masking_keeps_length_and_line_breaks_and_only_blanks(text):
    masked = mask(text).masked
    assert len(masked) == len(text)
    assert [i for i, c in enumerate(masked) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]
    assert all(m == t or m == " " for m, t in zip(masked, text, strict=True))


# A link's parts as an author writes them: no brackets, pipes or line breaks in any part, no
# '#' in the target, and none of the characters that start code or comments.
PART = st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="[]|#\\`%<\n")
part = st.text(PART, max_size=20).map(str.strip)
specs = st.lists(
    st.tuples(part, st.none() | part, st.none() | part).filter(lambda s: s[0] or s[1]),
    max_size=8,
)


def render_link(spec: tuple[str, str | None, str | None]) -> str:
    target, heading, alias = spec
    inner = target
    if heading is not None:
        inner += f"#{heading}"
    if alias is not None:
        inner += f"|{alias}"
    return f"[[{inner}]]"


@FAST
@given(specs)
@example([("Working backwards", "The press release", "PR/FAQ"), ("", "Heading", None)])
def test_rendered_links_parse_back_to_the_same_parts(links):
    text = "Prose " + " and ".join(render_link(spec) for spec in links) + " ends."
    parsed = [(link.target, link.heading, link.alias) for link in find_wikilinks(text)]
    expected = [(t, h or None, a or None) for t, h, a in links if t or h]
    assert parsed == expected
    assert all(not link.embed for link in find_wikilinks(text))


# --- names --------------------------------------------------------------------------------------


@FAST
@given(any_text)
@example("Stra\u00dfe")
@example("\u2068Ian\u2069")
@example("\ufb01")
def test_fold_is_idempotent(name):
    assert fold(fold(name)) == fold(name)


@FAST
@given(st.lists(any_text, max_size=4).map("/".join))
@example("\uff0f")  # FULLWIDTH SOLIDUS: NFKC makes it '/'
@example("a/\u2024\u2024/b")  # ONE DOT LEADER twice: NFKC makes it '..'
def test_fold_path_is_idempotent(path):
    assert fold_path(fold_path(path)) == fold_path(path)


_UNSAFE_IN_SLUG = re.compile(r"[/?#%\\\s]|\.\.")


@FAST
@given(any_text)
@example("../../etc/passwd")
@example("a\u2028b")
@example("\u0130")
@example("t" * 300)  # a tag or a link of 300 characters: no file name is that long
@example("\ufdfa" * 100)  # NFKC makes each of these 18 letters
def test_slug_is_url_safe_and_idempotent(name):
    result = slug(name)
    assert result, "a slug is never empty"
    assert len(result.encode()) <= MAX_SLUG_BYTES
    assert not _UNSAFE_IN_SLUG.search(result), result
    assert not result.startswith(("-", ".")) and not result.endswith("-")
    assert slug(result) == result


# --- the resolver -------------------------------------------------------------------------------

segment = st.text(
    st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=12
).filter(lambda s: s not in (".", "..") and not s.startswith("."))
note_paths = st.lists(segment, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".md")
notes = st.lists(
    st.tuples(note_paths, any_text, st.lists(any_text, max_size=2)),
    min_size=1,
    max_size=8,
    unique_by=lambda n: n[0],
)
attachments = st.lists(
    st.lists(segment, min_size=1, max_size=2).map(lambda p: "/".join(p) + ".png"), max_size=3
)


def make_notes(specs: list[tuple[str, str, list[str]]]) -> list[Note]:
    return [
        Note(NoteId(path), title or path, "", aliases=tuple(aliases))
        for path, title, aliases in specs
    ]


@FAST
@given(notes, attachments, any_text, st.integers(min_value=0, max_value=7))
def test_resolver_gives_exactly_one_kind_of_target(specs, files, target, source_index):
    vault = make_notes(specs)
    source = vault[source_index % len(vault)].id
    resolution = Resolver(vault, files).resolve(target, source)
    kinds = [resolution.note, resolution.attachment, resolution.topic]
    assert sum(kind is not None for kind in kinds) == 1, resolution
    if resolution.note is not None:
        assert resolution.note in {note.id for note in vault}
        if resolution.candidates:
            assert resolution.note in resolution.candidates
            assert set(resolution.candidates) <= {note.id for note in vault}
    if resolution.attachment is not None:
        assert resolution.attachment in files


@FAST
@given(notes, st.integers(min_value=0, max_value=7), st.integers(min_value=0, max_value=7))
@example([("a.md", "/", [])], 0, 0)
@example([("a.md", "Notes on README.md", [])], 0, 0)
def test_every_title_alias_and_file_name_of_a_note_reaches_a_note(specs, pick, source_index):
    vault = make_notes(specs)
    note = vault[pick % len(vault)]
    resolver = Resolver(vault)
    source = vault[source_index % len(vault)].id
    for name in (note.stem, note.title, *note.aliases):
        if not name.strip() or not fold(name).strip():
            continue
        resolution = resolver.resolve(name, source)
        assert resolution.note is not None, (name, resolution)


# --- site paths -----------------------------------------------------------------------------------

segments = st.lists(st.sampled_from(["a", "b", "notes", "ü", "x y"]), max_size=4)


@FAST
@given(segments, segments, st.booleans())
def test_relative_path_agrees_with_posixpath_relpath(target, start, trailing):
    """Our relpath (no os.getcwd) is the standard library's on the paths a site has."""
    to, here = "/".join(target), "/".join(start)
    expected = posixpath.relpath(to or ".", here or ".")
    assert relative_path(to + ("/" if trailing and to else ""), here) == expected


@FAST
@given(any_text)
def test_ascii_fast_path_folds_like_the_unicode_path(text):
    """Folding an ASCII name takes a shortcut; it must give what the full path gives."""
    ascii_text = text.encode("ascii", "ignore").decode()
    full = unicodedata.normalize("NFKC", ascii_text).casefold()
    assert fold(ascii_text) == fold("\u2060" + ascii_text)  # a format character: dropped
    assert slug(ascii_text, "x") == slug(full, "x")

"""Sentences as backlinks, topic pages and video pages quote them: where one ends, and what
is tidied where timestamps were taken out (`notegraph.core.linker.sentences`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from notegraph.core.linker.sentences import split_sentences, tidy_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four… Five.", ["One.", "Two!", "Three?", "Four…", "Five."]),
        # abbreviations end no sentence
        ("Use tools, e.g. Jira and Linear. Next.", ["Use tools, e.g. Jira and Linear.", "Next."]),
        ("Pick one, i.e. Notion. Next.", ["Pick one, i.e. Notion.", "Next."]),
        ("Build vs. Buy is old. Next.", ["Build vs. Buy is old.", "Next."]),
        ("Ask Dr. Smith and Mr. Jones. Next.", ["Ask Dr. Smith and Mr. Jones.", "Next."]),
        ("Ask E.G. Smith. Next.", ["Ask E.G. Smith.", "Next."]),  # an abbreviation in capitals too
        ("As in (e.g. Amazon) here. Next.", ["As in (e.g. Amazon) here.", "Next."]),
        ("J. R. R. Tolkien wrote it. Next.", ["J. R. R. Tolkien wrote it.", "Next."]),
        ("See fig. 3 and No. 5 today. Next.", ["See fig. 3 and No. 5 today.", "Next."]),
        # numbers: a decimal point is no end; a sentence may end on a number
        (
            "It grew 3.5 times to $1.2M. In 2019. Then 2020 came.",
            ["It grew 3.5 times to $1.2M.", "In 2019.", "Then 2020 came."],
        ),
        ("Revenue hit 10. 20 more came later.", ["Revenue hit 10.", "20 more came later."]),
        # lower case after the stop: the sentence goes on
        ("Meet at 10 a.m. sharp. Next.", ["Meet at 10 a.m. sharp.", "Next."]),
        ('"Why?" she asked. Next.', ['"Why?" she asked.', "Next."]),
        # quotations: closing marks stay with their sentence; no cut inside one
        ('He said "Go." Then left.', ['He said "Go."', "Then left."]),
        ("He said “It works. Really.” Then left.", ["He said “It works. Really.”", "Then left."]),
        ("(See the note.) Then more.", ["(See the note.)", "Then more."]),
        # a stray quote mark does not glue the rest of the paragraph together
        ('A "stray mark. Next one. Last.', ['A "stray mark.', "Next one.", "Last."]),
        # "no" before a number is "number"; elsewhere it is a word
        ("The answer is no. Then we left.", ["The answer is no.", "Then we left."]),
        # etc. ends a sentence when a capital follows
        ("Apples, pears, etc. The rest.", ["Apples, pears, etc.", "The rest."]),
        ("", [""]),
        ("No stop at all", ["No stop at all"]),
        ("Ends here. ", ["Ends here.", ""]),
    ],
)
def test_split_sentences(text: str, expected: list[str]):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It is underexplored, .", "It is underexplored."),
        ("It is underexplored,.", "It is underexplored."),
        ("Patterns seen in startups, , .", "Patterns seen in startups."),
        ("Stop here ; . Next", "Stop here. Next"),
        ("A list item, ", "A list item"),
        ("Cited ( ) here [ ].", "Cited here."),
        ("One, two, three.", "One, two, three."),  # commas that belong stay
        ("The concept involves:", "The concept involves:"),  # a colon before a list stays
        ("Ratio 3:2 holds.", "Ratio 3:2 holds."),
    ],
)
def test_tidy_punctuation(text: str, expected: str):
    assert tidy_punctuation(text) == expected


def _tidied_by_the_patterns_alone(text: str) -> str:
    """`tidy_punctuation` as its three patterns define it, each applied to every text."""
    from notegraph.core.linker import sentences

    text = sentences._EMPTY_BRACKETS.sub("", text)
    text = sentences._REPEATED_COMMA.sub(",", text)
    return sentences._STRAY.sub("", text)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \t\n\u2003,;:.!?…()[]a", max_size=24))
def test_tidy_punctuation_skips_only_texts_its_patterns_leave_alone(text: str) -> None:
    """`tidy_punctuation` skips its patterns where a quick look finds nothing for them (a
    1.2-million-text vault's moments took 14 s in them): what it makes is what the
    patterns make, for any text of punctuation, spaces and brackets."""
    assert tidy_punctuation(text) == _tidied_by_the_patterns_alone(text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=" \n,;:.!?|()a", max_size=24))
def test_a_sentence_is_tidied_as_its_patterns_say(text: str) -> None:
    """The same for the tidying of a moment's or a mention's sentence (`links._tidy`),
    which first takes the spaces out before punctuation."""
    from notegraph.core.linker import links

    spaced = " ".join(text.replace("|", " ").split())
    expected = _tidied_by_the_patterns_alone(links._SPACE_BEFORE_PUNCTUATION.sub(r"\1", spaced))
    assert links._tidy(text) == expected


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=" \n.,_a\u00e9Z9\u00b2\u0663-", max_size=16), st.data())
def test_the_word_before_a_full_stop_is_read_as_its_pattern_says(text: str, data) -> None:
    """Abbreviations are told by the word before a full stop, read backwards now: the same
    word as the pattern ``([\\w.]+)$`` finds (letters and digits of any script, ``_``)."""
    import re

    from notegraph.core.linker.sentences import _word_before

    start = data.draw(st.integers(0, len(text)))
    stop = data.draw(st.integers(start, len(text)))
    found = re.search(r"([\w.]+)$", text[start:stop])
    assert _word_before(text, start, stop) == (found.group(1) if found else None)

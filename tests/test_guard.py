"""One note never stops a build: whatever step fails on it, the rest is published.

Each row makes one step fail on one note (`bad.md`) the way a bug would, by raising from
the function that does the step, and builds a real site: the build finishes, every page is
written (the failing note's as its text, escaped, where its page is what failed), an error
names the note, ``--strict`` fails, and ``notegraph check`` reports the same error where it
runs the same step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown.blockparser
import notegraph.core.graph.view
import notegraph.core.linker.links
import notegraph.core.pages.write
import notegraph.core.vault.notes
import pytest
from conftest import BuildVault, Built
from mkdocs.exceptions import Abort
from notegraph.core.base.guard import describe, guarded
from notegraph.core.base.report import Report
from notegraph.core.checks.check import check_vault

ID = "7gaPPrAd7nc"
BAD = (
    f"---\ntitle: Bad note\nvideoId: {ID}\n---\n"
    "A sentence with <b>markup</b> & [[good]] [00:01:02]. Second [[Topic]] [00:02].\n"
)
GOOD = f"---\ntitle: Good note\nvideoId: {ID}\n---\nLinks to [[bad]] [00:00:05].\n"
ESCAPED = "A sentence with &lt;b&gt;markup&lt;/b&gt; &amp; [[good]] [00:01:02]."
"""How the failing note's text shows on its page when the page falls back to plain text."""


def failing(function: Callable[..., Any], when: Callable[..., bool]) -> Callable[..., Any]:
    """`function`, but raising (as a bug would) when `when(*args)` holds."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            raise ValueError("injected failure")
        return function(*args, **kwargs)

    return wrapper


def about_bad(*args: Any, **kwargs: Any) -> bool:
    """Whether a call is about the note `bad.md` (its id, its note, its text)."""
    return any(
        getattr(a, "id", None) == "bad.md" or a == "bad.md" or (isinstance(a, str) and "<b>" in a)
        for a in args
    )


def raise_on_bad_page(self: Any, lines: list[str]) -> Any:
    """Python-Markdown's parser, failing like on a deep nesting on the bad note's page."""
    if any("<b>markup" in line for line in lines):
        raise RecursionError("maximum recursion depth exceeded")
    return ORIGINAL_PARSE(self, lines)


ORIGINAL_PARSE = markdown.blockparser.BlockParser.parseDocument

# step, (module, attribute) to break, the page that falls back, whether check runs the step
STEPS = [
    ("read this note", (notegraph.core.vault.notes, "parse_note"), "notes/bad/", True),
    ("link this note", (notegraph.core.linker.links, "_link_note"), "notes/bad/", True),
    (
        "find the sentence around this link",
        (notegraph.core.linker.links, "sentence_around"),
        None,
        True,
    ),
    ("find the moments of this note", (notegraph.core.linker.links, "note_moments"), None, True),
    ("write the page notes/bad.md", (notegraph.core.pages.write, "note_page"), "notes/bad/", False),
    ("render the page notes/bad.md", (markdown.blockparser.BlockParser, ""), "notes/bad/", False),
    (
        "sanitize the page notes/bad.md",
        (notegraph.core.pages.write, "sanitize"),
        "notes/bad/",
        False,
    ),
    (
        "draw the local graph of notes/bad.md",
        (notegraph.core.graph.view.GraphView, ""),
        None,
        False,
    ),
]


def errors_found(built: Built) -> list[str]:
    """The build's findings of level error, one by one (logged at debug level, then summed
    up in one warning)."""
    return [
        r.getMessage()
        for r in built.records
        if getattr(r, "finding", None) is not None and r.finding.level == "error"
    ]


def break_step(monkeypatch: pytest.MonkeyPatch, target: tuple[Any, str]) -> None:
    owner, name = target
    if owner is markdown.blockparser.BlockParser:
        monkeypatch.setattr(owner, "parseDocument", raise_on_bad_page)
    elif owner is notegraph.core.graph.view.GraphView:
        original = owner.local_page
        monkeypatch.setattr(
            owner, "local_page", failing(original, lambda self, url: url == "notes/bad/")
        )
    else:
        monkeypatch.setattr(owner, name, failing(getattr(owner, name), about_bad))


@pytest.mark.parametrize(
    ("step", "target", "fallback", "checked"), STEPS, ids=[s[0] for s in STEPS]
)
def test_a_failing_step_is_an_error_naming_the_note_and_the_build_goes_on(
    build_vault: BuildVault,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
    target: tuple[Any, str],
    fallback: str | None,
    checked: bool,
) -> None:
    break_step(monkeypatch, target)
    notes = {"bad.md": BAD, "good.md": GOOD}
    built = build_vault("guard", notes)
    errors = errors_found(built)
    assert len(errors) == 1, built.messages
    (grouped,) = built.grouped
    assert "internal: 1 error" in grouped and f"notegraph could not {step} (" in grouped
    if step == "read this note":  # a note that could not be read is not linted either
        assert not [w for w in built.warnings if "bad.md" in w and "[internal]" not in w]
    logger, where, level, message = errors[0].split(": ", 3)
    assert (logger, level) == ("notegraph", "error")
    assert Path(where.split(":")[0]).resolve() == built.root / "vault" / "bad.md"
    assert message.startswith(f"notegraph could not {step} (")
    assert message.endswith("This is a bug of notegraph: please report it [internal]")
    # every page is written; the good note is whole, the bad one safe
    good = built.page("notes/good.md").read_text(encoding="utf-8")
    assert "Good note" in good and "ng-stamp" in good
    bad = built.page("notes/bad.md").read_text(encoding="utf-8")
    if fallback is not None:
        assert ESCAPED in bad, "the note's text, escaped, is on its page"
        assert "ng-fallback-notice" in bad
        assert "<b>markup" not in bad
    else:
        assert "<b>markup</b>" in bad and "ng-fallback" not in bad
    assert built.page(f"videos/{ID.lower()}.md").is_file()
    # --strict makes the same build fail; check reports the error where it runs the step
    with pytest.raises(Abort):
        build_vault("guard-strict", notes, strict=True)
    vault = built.root / "vault"
    found = [str(d) for d in check_vault(vault) if d.code == "internal"]
    assert len(found) == (1 if checked else 0), found
    if checked:
        assert found[0].startswith("bad.md") and f"could not {step}" in found[0]


def test_a_failing_sentence_leaves_the_backlink_without_its_sentence(
    build_vault: BuildVault, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        notegraph.core.linker.links,
        "sentence_around",
        failing(notegraph.core.linker.links.sentence_around, about_bad),
    )
    built = build_vault("guard-sentence", {"bad.md": BAD, "good.md": GOOD})
    good = built.page("notes/good.md").read_text(encoding="utf-8")
    assert '<mark class="ng-mention">good</mark></li>' in good  # the link alone


def test_guarded_lets_interrupts_through() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        guarded(Report(), "a.md", "wait", interrupted, lambda: None, outcome="nothing")


def test_describe_names_the_error_and_where_it_was_raised() -> None:
    try:
        Path("x").relative_to("y")
    except ValueError as error:
        shown = describe(error)
    assert shown.startswith("ValueError: ") and " at " in shown and ".py:" in shown


def test_a_page_failing_in_a_render_worker_is_reported_like_in_the_main_process(
    build_vault: BuildVault, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Enough pages for the render workers (`prerender`): the failure happens in a worker.
    caplog.set_level(logging.DEBUG, logger="mkdocs")
    monkeypatch.setattr(markdown.blockparser.BlockParser, "parseDocument", raise_on_bad_page)
    filler = {f"filler/n{i}.md": f"# Filler {i}\n\nText {i}.\n" for i in range(120)}
    built = build_vault("guard-workers", {"bad.md": BAD, "good.md": GOOD, **filler})
    (by_workers,) = [m for m in built.messages if "pages rendered by workers" in m]
    assert not by_workers.startswith("notegraph: 0 "), "the build used its render workers"
    errors = errors_found(built)
    assert len(errors) == 1 and "could not render the page notes/bad.md" in errors[0]
    assert ESCAPED in built.page("notes/bad.md").read_text(encoding="utf-8")
    assert built.page("notes/filler/n119.md").is_file()

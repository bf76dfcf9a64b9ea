"""Any note at all: the check and the build take it, and every page is written.

Hypothesis writes notes out of the pieces that trip parsers (brackets, pipes, timestamp
anchors closed or not, HTML, code fences, comments, deep nesting, YAML with aliases) and
plain text, then runs them through ``notegraph check`` and the build's pipeline: parse,
link, rules, every page's Markdown, Python-Markdown with the site's extensions, sanitizing.
No exception may escape and none may be caught either (a caught one is an ``internal``
error: a bug), every note gets a page, and every valid timestamp finds its sentence.
A few examples go through a whole MkDocs build too. How long each note takes is measured
by ``benchmarks/adversarial.py``, not here.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import markdown
from conftest import BuildVault
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from notegraph.core.base.guard import render_failures
from notegraph.core.checks.check import check_vault
from notegraph.core.linker.links import note_moments
from notegraph.core.mdx.extensions import EXTENSIONS
from notegraph.core.pipeline import build_site

ID = "7gaPPrAd7nc"
PIECES = [
    "[", "]", "[[", "]]", "![[", "|", "\\|", "(", ")", "](", "#", "^", "%%", "<!--", "-->",
    "`", "```", "~~~", "    ", "\t", "\n", "\n\n", "- ", "* ", "1. ", "> ", "---", "***",
    "_", "**", "==", "~~", "&", "&amp;", "<", ">", "<br/>", "<div>", "</div>", "<b>", "</b>",
    '<div markdown="1">', "<script>x</script>", '<a href="x">', "</a>", "{: #id }",
    '<a class="yt-timestamp" data-t="00:01:02">', '<a class="yt_timestamp" data-t="1:02">',
    "[00:01:02]", "[01:02]", "[99:99]", "[[b]]", "[[b|shown]]", "[[b#Heading]]", "[[#Top]]",
    "[[c.png|300]]", "[text](b.md)", "[text](<a class=\"yt-timestamp\" data-t=\"0:05\">[0:05]</a>)",
    "# Heading", "## Top", "Setext\n===", "| a | b |\n|---|---|\n| c | d |", "\ufeff", "\u200b",
    "\u2068", "\x00", "é", "漢字", "🙂", ". ", "word ", "Sentence one. ",
]  # fmt: skip
YAML = [
    "title: T", "title: [a, b]", "aliases: [x, y]", "tags: a, b", "tags: [1, true]",
    f"videoId: {ID}", "videoId: nope", "video: talk.mp4", "a: &a [1, 2]", "b: *a", "c: *zz",
    "d: &d [*d]", "e: [[[[[[[[]]]]]]]]", "title: 'x", "- list", ": :", "key: |\n  block",
]  # fmt: skip

body = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)
frontmatter = st.lists(st.sampled_from(YAML), max_size=5).map(
    lambda lines: "---\n" + "\n".join(lines) + "\n---\n"
)
notes = st.tuples(st.none() | frontmatter, body).map(lambda pair: (pair[0] or "") + pair[1])
NESTED = "".join("\t" * i + "- x\n" for i in range(60)) + "> " * 60 + "q\n"
STAMPS = f'---\nvideoId: {ID}\n---\nA [x](<a class="yt-timestamp" data-t="0:05">[0:05]</a>).'


def build_everything(vault: Path) -> None:
    """What the build does with the vault, page by page, short of MkDocs."""
    built = build_site(vault)
    site, pages = built.site, built.pages
    for note in site.vault.notes.values():
        assert site.map.note_uri[note.id] in pages
        shown = site.links.shown_in(note.id)
        moments = note_moments(note, shown)
        assert [stamp for stamp, _ in moments] == [
            stamp for stamp in note.stamps if stamp.seconds is not None and note.video
        ]
    configs = {name: dict(config) for name, config in EXTENSIONS.items() if config}
    converter = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=configs)
    for uri in pages:
        text, pieces = pages.render(uri)
        rendered = converter.reset().convert(text)
        html = pages.page_html(uri, rendered, pieces, render_failures())
        assert html.strip() or uri.startswith("notes/")
    internal = [str(d) for d in site.report.diagnostics if d.code == "internal"]
    assert internal == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(notes, min_size=1, max_size=3))
@example(["[" * 500, "[[" * 300 + "]]", NESTED])
@example([STAMPS, '<a class="yt-timestamp" data-t="1:00">[1:00]]\n\n[[b]] [00:02]'])
@example(["---\na: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n---\n"])
def test_any_notes_go_through_check_and_build(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder)
        for i, text in enumerate(texts):
            (vault / f"n{i}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
        (vault / "b.md").write_text("# B\n\n## Heading\n\nLinks back to [[n0]].\n")
        found = check_vault(vault)
        assert [str(d) for d in found if d.code == "internal"] == []
        build_everything(vault)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(notes, min_size=1, max_size=2))
@example([NESTED + "[" * 2000, STAMPS])
def test_any_notes_build_into_a_site_with_every_page(
    build_vault: BuildVault, texts: list[str]
) -> None:
    files = {f"n{i}.md": text for i, text in enumerate(texts)}
    built = build_vault("robust", {**files, "b.md": "# B\n\nLinks back to [[n0]].\n"})
    for name in [*files, "b.md"]:
        assert built.page(f"notes/{name}").is_file(), name
    assert not [m for m in built.messages if "[internal]" in m]

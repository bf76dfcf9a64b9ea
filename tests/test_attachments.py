"""Attachments: which files besides notes the site publishes, and where.

Only inert types are published (`attachments`); every other file is reported once,
naming it, and left out. (The hostile vault, `test_hostile.py`, checks the built site.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import write_files
from notegraph.core.base.report import Report
from notegraph.core.linker.links import link_vault
from notegraph.core.vault.notes import load_vault

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">{}</svg>'

ATTACHMENTS: list[tuple[str, str | bytes, str | None]] = [
    # (vault path, content, why it is not published; None: published)
    ("img/chart.png", b"\x89PNG\r\n\x1a\n", None),
    ("img/PHOTO.JPG", b"", None),
    ("docs/paper.pdf", b"%PDF-1.4", None),
    ("media/talk.mp4", b"", None),
    ("media/talk.webm", b"", None),
    ("media/episode.mp3", b"", None),
    ("data/table.csv", "a,b\n1,2\n", None),
    ("data/notes.txt", "<script>alert(1)</script>", None),  # served as text/plain
    ("docs/plan.docx", b"PK", None),
    ("img/curve.svg", SVG.format('<circle cx="2" cy="2" r="1"/>'), None),
    (
        "img/styled.svg",
        SVG.format("<style>circle{fill:red}</style><text>on = off</text>"),
        None,
    ),
    (
        "evil.html",
        "<script>alert(1)</script>",
        "'.html' files are not published (they could run scripts on the site)",
    ),
    ("page.HTM", "", "'.htm' files are not published (they could run scripts on the site)"),
    ("x/app.js", "alert(1)", "'.js' files are not published (they could run scripts on the site)"),
    ("x/feed.xml", "<x/>", "'.xml' files are not published (they could run scripts on the site)"),
    ("x/archive.zip", b"PK", "'.zip' files are not published"),
    ("Makefile", "all:", "files without an extension are not published"),
    (
        "img/entity.svg",
        '<!DOCTYPE svg [<!ENTITY a "b">]>' + SVG.format("&a;"),
        "SVG that declares XML entities is not published",
    ),
    (
        "img/bare.svg",
        '<svg onload="alert(1)"/>',
        'SVG without xmlns="http://www.w3.org/2000/svg" on its <svg> (browsers do not draw it)'
        " is not published",
    ),
    (
        "img/page.svg",
        '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
        "file whose root is <html>, not an SVG <svg>, is not published",
    ),
    (
        "img/broken.svg",
        SVG.format("<g>"),
        "SVG that is not well-formed XML (mismatched tag) is not published",
    ),
    ("img/utf16.svg", SVG.format('<circle r="1"/>').encode("utf-16"), None),  # re-encoded
]


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_files(root, files)


@pytest.mark.parametrize(("path", "content", "why"), ATTACHMENTS, ids=[a[0] for a in ATTACHMENTS])
def test_only_inert_attachments_are_published(
    tmp_path: Path, path: str, content: str | bytes, why: str | None
) -> None:
    write(tmp_path, {"note.md": "# Note\n", path: content})
    report = Report()
    vault = load_vault(tmp_path, report)
    if why is None:
        assert (vault.attachments, vault.unpublished, report.diagnostics) == ([path], {}, [])
    else:
        assert (vault.attachments, vault.unpublished) == ([], {path: why})
        assert [d.message for d in report.diagnostics] == [why]
        assert [d.code for d in report.diagnostics] == ["attachment"]


def test_a_link_to_a_file_that_is_not_published_says_so(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": "[page](evil.html) [gone](gone.pdf)\n", "evil.html": "<b>x</b>"})
    report = Report()
    link_vault(load_vault(tmp_path, report), report)
    assert [str(d) for d in report.sorted()] == [
        "a.md:1:1: warning: link to 'evil.html', a file the site does not publish [missing-file]",
        "a.md:1:19: warning: link to 'gone.pdf', which is not in the vault [missing-file]",
        "evil.html: warning: '.html' files are not published (they could run scripts on the"
        " site) [attachment]",
    ]


# --- where attachments go: one allocator for pages and files, nothing overwritten ------------

PAGES = ["notes/a.md", "notes/people/index.md", "notes/index.md", "index.md"]


@pytest.mark.parametrize(
    ("use_directory_urls", "wanted", "given"),
    [
        (True, "notes/a/index.html", "notes/a/index-2.html"),  # the page of a.md
        (True, "notes/A/Index.html", "notes/A/Index-2.html"),  # on a case-insensitive disk too
        (True, "notes/people/index.html", "notes/people/index-2.html"),  # a folder's page
        (True, "notes/index.html", "notes/index-2.html"),  # the notes section
        (True, "index.html", "index-2.html"),  # the home page
        (True, "notes/a.html", "notes/a.html"),  # no page there with directory URLs
        (False, "notes/a.html", "notes/a-2.html"),
        (False, "notes/a/index.html", "notes/a/index.html"),
        (True, "notes/docs/chart.png", "notes/docs/chart-2.png"),  # a hand-written file
        (True, "notes/docs/CHART.PNG", "notes/docs/CHART-2.PNG"),
        (True, "notes/b.png", "notes/b.png"),
    ],
)
def test_an_attachment_never_takes_the_place_of_a_page_or_file(
    use_directory_urls: bool, wanted: str, given: str
) -> None:
    from notegraph.core.sitemap.sitemap import _Allocator

    allocator = _Allocator([*PAGES, "notes/docs/chart.png"], use_directory_urls)
    assert allocator.claim_file(wanted) == given
    assert allocator.claim_file(wanted) not in (given, wanted)  # a second one moves on


def test_an_attachment_whose_place_is_taken_is_published_elsewhere_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, build_config: Any
) -> None:
    """A hand-written ``docs/notes/chart.png`` and the vault's ``chart.png`` (and two names
    that differ by case only): every file lands, links reach the vault's own."""
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        {
            "docs/index.md": "# Home\n",
            "docs/notes/chart.png": b"hand-written",
            "vault/chart.png": b"from the vault",
            "vault/img/Photo.png": b"upper",
            "vault/img/photo.png": b"lower",
            "vault/a.md": "# A\n\n![[chart.png]] ![[img/photo.png]]\n",
        },
    )
    config = {
        "site_name": "x",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False},
        "plugins": [{"notegraph": {"notes_dir": "vault", "graph_page": False,
                                   "local_graph": False, "search": "material"}}],
    }  # fmt: skip
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    built = build_config(tmp_path / "mkdocs.yml", tmp_path / "site")
    site = tmp_path / "site"
    assert (site / "notes" / "chart.png").read_bytes() == b"hand-written"
    assert (site / "notes" / "chart-2.png").read_bytes() == b"from the vault"
    assert (site / "notes" / "img" / "Photo.png").read_bytes() == b"upper"
    assert (site / "notes" / "img" / "photo-2.png").read_bytes() == b"lower"
    ours = [m for m in built.warnings if m.endswith("[attachment]")]
    assert ours == [
        "notegraph: vault/chart.png: warning: notes/chart.png is already a page or file of the"
        " site; the attachment is published as notes/chart-2.png [attachment]",
        "notegraph: vault/img/photo.png: warning: notes/img/photo.png is already a page or file"
        " of the site; the attachment is published as notes/img/photo-2.png [attachment]",
    ]
    page = (site / "notes" / "a" / "index.html").read_text()
    assert 'src="../chart-2.png"' in page
    assert 'src="../img/photo-2.png"' in page

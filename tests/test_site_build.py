"""Whole-site tests: build real sites from small vaults in tmp_path and read the HTML.

The main fixture vault (`MAIN_VAULT`) is built once per module for each value of
``use_directory_urls``; tests that need warnings, strict mode or another vault build their own.
HTML is read with the standard library's `html.parser` into a small tree of `Element`s.
"""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from htmltree import Element, article, broken_links, lands_on, parse, resolve
from mkdocs.exceptions import Abort

REPO = Path(__file__).resolve().parent.parent


def tiny_png() -> bytes:
    """A valid 1×1 greyscale PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --- the main fixture vault ---------------------------------------------------------------------

PNG = tiny_png()

MAIN_VAULT: dict[str, str | bytes] = {
    "alpha.md": """\
---
title: Alpha Note
tags: [garden, tools/hand]
---
# Alpha Note

Alpha opens the garden and points to [[Beta]] in its first sentence.
Later it calls Beta [[Beta|the second letter]] for variety.

## Link forms

- by heading: [[Gamma#Second Part: Why?]]
- same page: [[#Deep Heading]]
- by folder: [[projects/Delta]]
- snake case file: [[Working Backwards At Amazon]]
- by alias: [[Fifth Letter]]
- by title: [[Zeta Proper Title]]

Alpha wonders about [[Nowhere Concept]] before lunch.

## Deep Heading

Nothing deep here.
""",
    "beta.md": "# Beta\n\nBeta keeps the seeds dry in a clay jar.\n",
    "charlie.md": """\
---
tags: garden
---
# Charlie

Charlie waters the rows and asks [[beta]] for seeds.
Two files share one slug: [[Acquired Upper]] and [[Acquired Lower]].
""",
    "gamma.md": """\
# Gamma

Gamma starts with an embed:

![[Echo]]

## Second Part: Why?

The second part explains why.

![[pic.png|300]]
""",
    "echo.md": """\
---
aliases: [Fifth Letter]
---
# Echo

Echo repeats every word twice.
""",
    "projects/Delta.md": """\
# Delta

Delta plans around [[nowhere concept]] each spring.
Nobody has written [[nowhere concept]] down yet.
""",
    "working_backwards_at_amazon.md": "# Working backwards\n\nStart from the press release.\n",
    "zeta_file.md": "---\ntitle: Zeta Proper Title\n---\nZeta is only known by its title.\n",
    "acquiredFM.md": "---\ntitle: Acquired Upper\n---\nThe upper-case file talks about radio.\n",
    "acquiredfm.md": "---\ntitle: Acquired Lower\n---\nThe lower-case file counts sheep.\n",
    "foxtrot.md": """\
# Foxtrot

Foxtrot shows code:

```bash
if [[ -n "$x" ]]; then echo ok; fi
[[not a link]]
```

Inline `[[not a link]]` stays code.

%% [[hidden topic]] is a private remark %%

<!-- [[html comment topic]] -->
""",
    "attachments/pic.png": PNG,
}

# Every link between notes and topics of MAIN_VAULT, with how often it occurs.
MAIN_EDGES = {
    ("alpha.md", "beta.md"): 2,
    ("alpha.md", "echo.md"): 1,
    ("alpha.md", "gamma.md"): 1,
    ("alpha.md", "projects/Delta.md"): 1,
    ("alpha.md", "topic:nowhere concept"): 1,
    ("alpha.md", "working_backwards_at_amazon.md"): 1,
    ("alpha.md", "zeta_file.md"): 1,
    ("charlie.md", "acquiredFM.md"): 1,
    ("charlie.md", "acquiredfm.md"): 1,
    ("charlie.md", "beta.md"): 1,
    ("gamma.md", "echo.md"): 1,
    ("projects/Delta.md", "topic:nowhere concept"): 2,
}


@pytest.fixture(scope="module")
def main_builds(build_vault):
    """``main_builds(use_directory_urls)``: MAIN_VAULT built once per module and URL style."""
    cache = {}

    def get(use_directory_urls: bool):
        if use_directory_urls not in cache:
            name = "main-dirs" if use_directory_urls else "main-files"
            cache[use_directory_urls] = build_vault(name, MAIN_VAULT, use_directory_urls)
        return cache[use_directory_urls]

    return get


@pytest.fixture(params=[True, False], ids=["directory-urls", "file-urls"])
def any_site(request, main_builds):
    """MAIN_VAULT's site, once with each value of ``use_directory_urls``."""
    return main_builds(request.param)


@pytest.fixture
def site(main_builds):
    """MAIN_VAULT's site with directory URLs."""
    return main_builds(True)


def graph(site) -> dict:
    return json.loads((site.site_dir / "graph.json").read_text(encoding="utf-8"))


# --- 1. links ------------------------------------------------------------------------------------


def test_every_internal_link_reaches_a_file_and_an_id(any_site):
    assert broken_links(any_site.site_dir) == []
    assert [w.rsplit("/vault/", 1)[-1] for w in any_site.warnings] == [
        "acquiredfm.md: warning: file name differs from acquiredFM.md only by case; the two are"
        " one file on Windows and macOS [name-collision]"  # on purpose: both still publish
    ]


# --- 2. link forms -------------------------------------------------------------------------------

LINK_FORMS = [
    # (form in alpha.md, text shown, page it lands on, heading it lands on)
    ("[[Beta]]", "Beta", "notes/beta.md", None),
    ("[[Beta|the second letter]]", "the second letter", "notes/beta.md", None),
    (
        "[[Gamma#Second Part: Why?]]",
        "Gamma > Second Part: Why?",
        "notes/gamma.md",
        "Second Part: Why?",
    ),
    ("[[#Deep Heading]]", "Deep Heading", "notes/alpha.md", "Deep Heading"),
    ("[[projects/Delta]]", "Delta", "notes/projects/delta.md", None),  # a path shows the title
    (
        "[[Working Backwards At Amazon]]",
        "Working Backwards At Amazon",
        "notes/working_backwards_at_amazon.md",
        None,
    ),
    ("[[Fifth Letter]] (alias)", "Fifth Letter", "notes/echo.md", None),
    ("[[Zeta Proper Title]] (title)", "Zeta Proper Title", "notes/zeta_file.md", None),
]


@pytest.mark.parametrize(
    ("form", "shown", "target", "heading"), LINK_FORMS, ids=[row[0] for row in LINK_FORMS]
)
def test_link_form_lands_on_its_page_and_heading(any_site, form, shown, target, heading):
    page = any_site.page("notes/alpha.md")
    a = article(page).link(shown)
    assert "ng-topic" not in a.classes, f"{form} became a topic link"
    landed, fragment = lands_on(any_site, page, a)
    assert landed == any_site.page(target).relative_to(any_site.site_dir).as_posix()
    if heading is None:
        assert fragment == ""
    else:
        headings = {
            h.text: h.attrs.get("id")
            for h in parse(any_site.page(target)).iter()
            if re.fullmatch(r"h[1-6]", h.tag)
        }
        assert fragment and fragment == headings[heading]
    if target == "notes/alpha.md":
        assert a.attrs["href"].startswith("#"), "a same-page link should not reload the page"


# --- 3. backlinks --------------------------------------------------------------------------------


def test_backlinks_list_linking_notes_with_their_sentence_marked(site):
    page = site.page("notes/beta.md")
    section = article(page).one("section", "ng-backlinks")
    by_title = {_first_link(li).text: li for li in section.find_all("li") if _first_link(li)}
    assert set(by_title) == {"Alpha Note", "Charlie"}
    for title, src in (("Alpha Note", "notes/alpha.md"), ("Charlie", "notes/charlie.md")):
        landed, _ = lands_on(site, page, _first_link(by_title[title]))
        assert landed == site.page(src).relative_to(site.site_dir).as_posix()

    contexts = {
        li.text: [m.text for m in li.find_all("mark", "ng-mention")]
        for li in by_title["Alpha Note"].find_all("li")[1:]
    }
    assert contexts == {
        "Alpha opens the garden and points to Beta in its first sentence.": ["Beta"],
        "Later it calls Beta the second letter for variety.": ["the second letter"],
    }
    contexts = {
        li.text: [m.text for m in li.find_all("mark", "ng-mention")]
        for li in by_title["Charlie"].find_all("li")[1:]
    }
    assert contexts == {"Charlie waters the rows and asks beta for seeds.": ["beta"]}


def _first_link(li: Element) -> Element | None:
    """The link a list item opens with (its title), not the links of nested items."""
    for child in li.children:
        if isinstance(child, Element):
            return child if child.tag == "a" else None
    return None


# --- 4. topics -----------------------------------------------------------------------------------


def test_topic_page_gathers_every_spelling_under_the_most_common(site):
    topics = [n for n in graph(site)["nodes"] if n["kind"] == "topic"]
    assert [(n["id"], n["title"]) for n in topics] == [("topic:nowhere concept", "Nowhere concept")]
    alpha = site.page("notes/alpha.md")
    a = article(alpha).link("Nowhere Concept")
    assert "ng-topic" in a.classes
    landed, _ = lands_on(site, alpha, a)
    assert landed == "topics/nowhere-concept/index.html"

    page = site.file("topics/nowhere-concept/")
    content = article(page)
    assert (
        content.one("h1").text == "Nowhere concept"
    )  # the most common spelling, opening with a capital
    mentions = {li.text for li in content.find_all("li") if _first_link(li) is None}
    assert mentions == {
        "Alpha wonders about Nowhere Concept before lunch.",
        "Delta plans around nowhere concept each spring.",
        "Nobody has written nowhere concept down yet.",
    }
    sources = {
        _first_link(li).text: lands_on(site, page, _first_link(li))[0]
        for li in content.find_all("li")
        if _first_link(li)
    }
    assert sources == {
        "Alpha Note": "notes/alpha/index.html",
        "Delta": "notes/projects/delta/index.html",
    }

    index = site.file("topics/")
    landed, _ = lands_on(site, index, article(index).link("Nowhere concept"))
    assert landed == "topics/nowhere-concept/index.html"


# --- 5. embeds -----------------------------------------------------------------------------------


def test_embed_shows_the_other_notes_body(site):
    page = site.page("notes/gamma.md")
    embed = article(page).one("div", "ng-embed")
    assert "Echo repeats every word twice." in embed.text
    assert lands_on(site, page, embed.one("a", "ng-embed-title"))[0] == "notes/echo/index.html"


CYCLE_VAULT = {
    "loop_a.md": "# Loop A\n\nA says hello.\n\n![[loop_b]]\n",
    "loop_b.md": "# Loop B\n\nB says goodbye.\n\n![[loop_a]]\n",
}


def test_embed_cycle_finishes_and_warns_with_the_file(build_vault):
    built = build_vault("cycle", CYCLE_VAULT)
    embed = article(built.page("notes/loop_a.md")).one("div", "ng-embed")
    assert "B says goodbye." in embed.text
    assert "A says hello." not in embed.text
    cycles = [w for w in built.warnings if "embed cycle" in w]
    assert cycles, built.warnings
    assert all(re.search(r"loop_[ab]\.md:5\b", w) for w in cycles), cycles


def test_embed_cycle_fails_a_strict_build(build_vault):
    with pytest.raises(Abort) as failure:
        build_vault("cycle-strict", CYCLE_VAULT, strict=True)
    assert "embed cycle" in "\n".join(failure.value.__notes__)


# --- 6. images -----------------------------------------------------------------------------------


def test_image_embed_has_its_width_and_a_copied_file(any_site):
    page = any_site.page("notes/gamma.md")
    [img] = article(page).find_all("img")
    assert img.attrs.get("width") == "300"
    target, _ = resolve(any_site.site_dir, page, img.attrs["src"])
    assert target.is_file(), img.attrs["src"]
    assert target.read_bytes() == PNG


# --- 7. code and comments ------------------------------------------------------------------------


def test_brackets_in_code_and_comments_are_no_links(site):
    content = article(site.page("notes/foxtrot.md"))
    assert "[[not a link]]" in content.one("pre").text
    assert "[[not a link]]" in [c.text for c in content.find_all("code")]
    assert [a.text for a in content.find_all("a")] == []
    assert "hidden topic" not in content.text and "private remark" not in content.text

    data = graph(site)
    assert [e for e in data["edges"] if e["source"] == "foxtrot.md"] == []
    assert [n["id"] for n in data["nodes"] if n["kind"] == "topic"] == ["topic:nowhere concept"]
    assert sorted(p.name for p in (site.site_dir / "topics").iterdir()) == [
        "index.html",
        "nowhere-concept",
    ]


# --- 8. tags -------------------------------------------------------------------------------------


def test_tags_get_pages_chips_and_an_index(site):
    alpha = site.page("notes/alpha.md")
    chips = {a.text: lands_on(site, alpha, a)[0] for a in article(alpha).find_all("a", "ng-tag")}
    assert chips == {
        "#garden": "tags/garden/index.html",
        "#tools/hand": "tags/tools/hand/index.html",
    }

    alpha_page, charlie_page = "notes/alpha/index.html", "notes/charlie/index.html"
    for tag_url, expected in (
        ("tags/garden/", {"Alpha Note": alpha_page, "Charlie": charlie_page}),
        ("tags/tools/hand/", {"Alpha Note": alpha_page}),
    ):
        page = site.file(tag_url)
        assert {a.text: lands_on(site, page, a)[0] for a in article(page).find_all("a")} == expected

    index = site.file("tags/")
    listed = {a.text: lands_on(site, index, a)[0] for a in article(index).find_all("a")}
    assert listed == {
        "#garden": "tags/garden/index.html",
        "#tools/hand": "tags/tools/hand/index.html",
    }


# --- 9. graph.json -------------------------------------------------------------------------------


def test_graph_json_lists_notes_topics_and_counted_edges(any_site):
    data = graph(any_site)
    nodes = {n["id"]: n for n in data["nodes"]}
    for node in data["nodes"]:
        assert {"id", "title", "kind", "url", "tags"} <= set(node), node
        assert node["kind"] in ("note", "topic")
        assert any_site.file(node["url"]).is_file(), node
    notes = {rel for rel in MAIN_VAULT if rel.endswith(".md")}
    assert {i for i, n in nodes.items() if n["kind"] == "note"} == notes
    assert nodes["alpha.md"]["title"] == "Alpha Note"
    assert nodes["alpha.md"]["tags"] == ["garden", "tools/hand"]
    assert nodes["alpha.md"]["url"] == any_site.url("notes/alpha.md")
    assert nodes["topic:nowhere concept"]["url"] == any_site.url("topics/nowhere-concept.md")
    edges = {(e["source"], e["target"]): e["count"] for e in data["edges"]}
    assert edges == MAIN_EDGES


def test_two_builds_of_one_vault_are_byte_identical(site, tmp_path):
    """A second build, in another process with another hash seed, into another folder, with
    the layout cache the first one wrote: every file the same, the graph's data included."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = tmp_path / "again"
    command = ["mkdocs", "build", "-q", "-f", str(site.root / "mkdocs.yml"), "-d", str(other)]
    subprocess.run([sys.executable, "-m", *command], check=True, env=env, cwd=tmp_path)
    first = site.site_dir / "graph.json"
    assert (other / "graph.json").read_bytes() == first.read_bytes()
    pages = sorted(p.relative_to(site.site_dir) for p in site.site_dir.rglob("*.html"))
    assert sorted(p.relative_to(other) for p in other.rglob("*.html")) == pages
    files = sorted(p.relative_to(site.site_dir) for p in site.site_dir.rglob("*") if p.is_file())
    assert (site.root / ".cache" / "notegraph" / "layout.json").is_file()  # the second was warm
    different = [
        str(p) for p in files if (other / p).read_bytes() != (site.site_dir / p).read_bytes()
    ]
    assert different == []


# --- 10. broken frontmatter ----------------------------------------------------------------------

# Line 3 holds the error: a plain value may not contain ": ".
BROKEN_YAML = {
    "broken.md": "---\ntitle: Broken\nsummary: a: b\n---\nThe broken note still shows up.\n",
}


def test_invalid_frontmatter_still_publishes_the_note_and_warns(build_vault):
    built = build_vault("broken-yaml", BROKEN_YAML)
    assert "The broken note still shows up." in article(built.page("notes/broken.md")).text
    warnings = [w for w in built.warnings if "broken.md" in w]
    assert len(warnings) == 1, built.warnings
    assert re.search(r"broken\.md:3\b.*frontmatter", warnings[0]), warnings[0]


def test_invalid_frontmatter_fails_a_strict_build(build_vault):
    with pytest.raises(Abort) as failure:
        build_vault("broken-yaml-strict", BROKEN_YAML, strict=True)
    assert "frontmatter is not valid YAML" in "\n".join(failure.value.__notes__)


# --- 11. slug collisions -------------------------------------------------------------------------


def test_names_that_differ_only_in_case_get_two_pages(site):
    charlie = site.page("notes/charlie.md")
    upper = lands_on(site, charlie, article(charlie).link("Acquired Upper"))[0]
    lower = lands_on(site, charlie, article(charlie).link("Acquired Lower"))[0]
    assert upper != lower
    upper_text = article(site.site_dir / upper).text
    lower_text = article(site.site_dir / lower).text
    assert "talks about radio" in upper_text and "counts sheep" not in upper_text
    assert "counts sheep" in lower_text and "talks about radio" not in lower_text

    index = site.file("notes/")
    listed = {a.text: lands_on(site, index, a)[0] for a in article(index).find_all("a")}
    assert (listed["Acquired Upper"], listed["Acquired Lower"]) == (upper, lower)


# --- 12. navigation ------------------------------------------------------------------------------


def _nav_links(home: Path) -> list[Element]:
    primary = parse(home).one("nav", "md-nav--primary")
    return primary.find_all(cls="md-nav__link")


def test_nav_does_not_grow_with_the_vault(build_vault, site):
    many = {
        f"note_{i:02d}.md": f"# Note {i:02d}\n\nNext is [[note_{(i + 1) % 60:02d}]].\n"
        for i in range(60)
    }
    built = build_vault("sixty", many)
    links = _nav_links(built.file(""))
    assert len(links) < 15, [a.text for a in links]
    assert not [a for a in links if a.text.startswith("Note ")]
    # no topics and no tags here: those sections are left out, so the nav may only shrink
    assert len(links) <= len(_nav_links(site.file(""))), "the nav grew with the vault"


# --- 13. the demo site ---------------------------------------------------------------------------


def test_demo_site_builds_strictly_without_warnings(build_config, tmp_path):
    built = build_config(REPO / "mkdocs.yml", tmp_path / "site", strict=True)
    assert built.warnings == []
    assert (built.site_dir / "graph.json").is_file()
    assert broken_links(built.site_dir) == []


def test_every_shipped_asset_is_loaded(site):
    """Each file under assets/notegraph/ is named by a page, by a script that loads it or
    by a stylesheet (KaTeX's fonts) (licences aside): nothing ships that no reader ever gets."""
    assets = site.site_dir / "assets" / "notegraph"
    texts = [page.read_text(encoding="utf-8") for page in site.site_dir.rglob("*.html")]
    texts += [script.read_text(encoding="utf-8") for script in assets.glob("*.js")]
    for sheet in assets.rglob("*.css"):
        urls = re.findall(r"url\(([^)]+)\)", sheet.read_text(encoding="utf-8"))
        folder = sheet.parent.relative_to(site.site_dir)
        texts += [os.path.normpath(folder / url.strip("'\"")) for url in urls]
    shipped = sorted(
        path.relative_to(site.site_dir).as_posix()
        for path in assets.rglob("*")
        if path.is_file() and path.name != "LICENSE"
    )
    assert "assets/notegraph/vendor/vis-network/vis-network.min.js" in shipped
    unused = [path for path in shipped if not any(path in text for text in texts)]
    assert unused == []
    for library in ("vis-network", "katex", "mermaid"):
        assert (assets / "vendor" / library / "LICENSE").is_file()


def test_a_list_right_after_a_line_of_text_is_a_list(build_vault):
    """Obsidian starts a list on the line after text; so does the site (Python-Markdown alone
    would print the items as text and turn the indented paragraph of the last into code)."""
    stamp = '<a class="yt-timestamp" data-t="00:00:{0}">[00:00:{0}]</a>'.format
    note = (
        "---\nvideoId: 7gaPPrAd7nc\n---\n# Feedback\n\nThe framework:\n"
        f"*   **Humble**: ask first {stamp('05')}.\n*   **Helpful**: say why.\n\n"
        f"    For example, the speech coach {stamp('09')}.\n\n"
        "```\nText\n- stays code\n```\n"
    )
    built = build_vault("lists", {"feedback.md": note}, strict=True)
    page = article(built.page("notes/feedback.md"))
    items = [li.text for li in page.find_all("li")]
    assert items == [
        "Humble: ask first 0:05.",
        "Helpful: say why. For example, the speech coach 0:09.",
    ]
    assert [a.attrs["data-t"] for a in page.find_all("a", "ng-stamp")] == ["5", "9"]
    assert [code.text for code in page.find_all("code")] == ["Text - stays code"]
    assert "Text\n- stays code" in built.page("notes/feedback.md").read_text(encoding="utf-8")

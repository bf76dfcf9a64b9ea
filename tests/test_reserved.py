"""A note cannot take a name of the page around it: ids the theme and notegraph own, classes
that make the theme fetch from another host (`notegraph.core.vault.reserved`).

The issue this guards against: ``{: #__config }`` under a paragraph of JSON made the note's
``<p>`` the first ``#__config`` of the page, and Material (then our search) read it as the
site's configuration. The browser side is ``test_browser_clobbering.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import write_files
from htmltree import Element, parse
from notegraph.core.checks.check import check_vault
from notegraph.core.vault.reserved import is_reserved_id, reserved_ids, safe_classes, safe_id
from notegraph.core.vault.sanitize import sanitize

CONFIG_JSON = '{"base":"http://127.0.0.1:9977/","features":[],"translations":{}}'


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("__config", "note-__config"),
        ("__CONFIG", "note-__CONFIG"),  # every id of Material's frame starts with __
        ("__nav_1", "note-__nav_1"),
        ("\t__search ", "note-\t__search "),  # browsers keep the spaces; still renamed
        ("note-__config", "note-__config"),  # a published id is never renamed again
        ("config", "config"),
        ("_config", "_config"),
        ("intro", "intro"),
    ],
)
def test_reserved_ids_get_the_prefix_and_others_stay(written, published):
    assert safe_id(written) == published
    assert not is_reserved_id(safe_id(written))


def test_the_reserved_ids_are_read_from_materials_templates_and_our_scripts():
    ids = reserved_ids()
    assert {"__config", "__drawer", "__search", "__toc", "__consent"} <= ids
    assert all(name.startswith("__") for name in ids), "a colour or a class crept in"


@pytest.mark.parametrize(
    ("written", "published"),
    [("mermaid", ""), ("big mermaid md-button", "big md-button"), ("a  b", "a  b")],
)
def test_classes_that_make_the_theme_fetch_are_dropped(written, published):
    assert safe_classes(written) == published


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p id="__config">x</p>', '<p id="note-__config">x</p>'),
        ('<div id="&#95;&#95;config">x</div>', '<div id="note-__config">x</div>'),
        ('<span id="__drawer" class="x">x</span>', '<span id="note-__drawer" class="x">x</span>'),
        ('<pre class="mermaid">graph TD</pre>', "<pre>graph TD</pre>"),
        ('<h2 id="intro">Intro</h2>', '<h2 id="intro">Intro</h2>'),
    ],
)
def test_the_sanitizer_renames_reserved_ids_and_drops_reserved_classes(html, expected):
    assert sanitize(html) == expected


# --- what check and build report ------------------------------------------------------------

NOTES = {
    "attr_list.md": f"# Attr\n\n{CONFIG_JSON}\n{{: #__config }}\n",
    "raw.md": '# Raw\n\nText.\n\n<div id="__config" class="md-typeset">{}</div>\n',
    "heading.md": "# Heading\n\n## __config\n\n## Drawer {#__drawer}\n\nSee [[#__config]].\n",
    "mermaid.md": (
        '# Mermaid\n\n<pre class="mermaid">graph TD; A-->B</pre>\n\nText\n{: .mermaid }\n'
    ),
    "fine.md": "# Fine\n\n## Intro\n\nText\n{: #intro .note }\n\n`{: #__config }` in code.\n",
}
TAKEN = "is taken by the page around the note (the theme or notegraph); it is published as"
FETCHES = "makes the theme load a script from another host; it is removed from the page"
REPORTED = [
    f"attr_list.md:4:1: warning: id '__config' {TAKEN} 'note-__config' [id]",
    f"heading.md:3:1: info: heading id '__config' {TAKEN} 'note-__config' (links to the"
    " heading use it) [id]",
    f"heading.md:5:11: warning: id '__drawer' {TAKEN} 'note-__drawer' [id]",
    f"mermaid.md:3:1: warning: class 'mermaid' {FETCHES} [id]",
    f"mermaid.md:6:1: warning: class 'mermaid' {FETCHES} [id]",
    f"raw.md:5:1: warning: id '__config' {TAKEN} 'note-__config' [id]",
]


def test_check_reports_each_renamed_id_and_dropped_class_with_file_and_line(tmp_path):
    write_files(tmp_path, NOTES)
    found = [str(d) for d in check_vault(tmp_path) if d.code == "id"]
    assert found == REPORTED


@pytest.fixture(scope="module")
def built(build_vault):
    return build_vault("reserved", NOTES)


def test_the_build_reports_the_same_warnings(built):
    ours = [m.split("/vault/", 1)[1] for m in built.warnings if m.endswith("[id]")]
    assert sorted(ours) == [r for r in REPORTED if ": warning: " in r]


def first_with_id(page: Path, value: str) -> Element:
    return next(e for e in parse(page).iter() if e.attrs.get("id") == value)


@pytest.mark.parametrize("note", ["attr_list.md", "raw.md", "heading.md"])
def test_the_first_config_element_of_each_page_is_materials_script(built, note):
    page = built.page(f"notes/{note}")
    config = first_with_id(page, "__config")
    assert (config.tag, config.attrs.get("type")) == ("script", "application/json")
    assert "127.0.0.1:9977" not in json.dumps(json.loads(config.children[0]))


def test_a_renamed_heading_keeps_its_table_of_contents_entry_and_its_links(built):
    root = parse(built.page("notes/heading.md"))
    headings = {h.text.rstrip("¶ ").strip(): h.attrs["id"] for h in root.find_all("h2")}
    assert headings == {"__config": "note-__config", "Drawer": "note-__drawer"}
    toc = {a.attrs["href"] for a in root.find_all("a", "md-nav__link") if "#" in a.attrs["href"]}
    assert {"#note-__config", "#note-__drawer"} <= toc
    article = root.one("article")
    assert [a.attrs["href"] for a in article.find_all("a") if a.text == "__config"] == [
        "#note-__config"
    ]


def test_a_mermaid_block_of_a_note_stays_text_for_the_theme(built):
    article = parse(built.page("notes/mermaid.md")).one("article")
    assert [e for e in article.iter() if "mermaid" in e.classes] == []
    assert "graph TD; A-->B" in article.text


def test_ids_a_note_may_use_are_published_as_written(built):
    article = parse(built.page("notes/fine.md")).one("article")
    ids = {e.attrs["id"] for e in article.iter() if "id" in e.attrs}
    assert {"intro", "fine"} <= ids
    assert not any(is_reserved_id(i) for i in ids)

"""Every note page links to its source in the repository ("Edit this note").

The base URL comes from MkDocs' `repo_url` + `edit_uri` (whose docs folder is swapped for the
notes folder), or from the plugin's `edit_url`. Material's own edit button must never point a
note at a path under `docs_dir`, and its header must not ask the GitHub API for the
repository's stars (a built site makes no outside request).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import write_files
from htmltree import Element, parse
from notegraph.core.pages.edit import notes_edit_url

REPO = "https://github.com/owner/repo"


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "docs_dir", "notes_dir", "expected"),
    [
        # MkDocs' default edit_uri for GitHub assumes a `docs` folder, whatever docs_dir is
        (REPO, "edit/master/docs/", "docs", "notes", f"{REPO}/edit/master/notes/"),
        (REPO, "edit/master/docs/", "site_src", "notes", f"{REPO}/edit/master/notes/"),
        # an edit_uri written for docs_dir: its docs part is replaced by the notes path
        (REPO, "edit/main/site_src/", "site_src", "notes", f"{REPO}/edit/main/notes/"),
        (REPO + "/", "edit/main/site_src", "site_src", "a/vault", f"{REPO}/edit/main/a/vault/"),
        (REPO, "blob/main/web/docs/", "docs", "vault", f"{REPO}/blob/main/web/vault/"),
        (REPO, "edit/main/docs/", "docs", ".", f"{REPO}/edit/main/"),
        # an absolute edit_uri needs no repo_url
        (None, "https://git.example/o/r/-/edit/main/docs/", "docs", "n", None),
        # no edit_uri, or notes outside the folder of mkdocs.yml: no link
        (REPO, None, "docs", "notes", ""),
        (REPO, "", "docs", "notes", ""),
        (REPO, "edit/main/docs/", "docs", "../elsewhere", ""),
    ],
)
def test_notes_edit_url(
    repo_url: str | None, edit_uri: str | None, docs_dir: str, notes_dir: str, expected: str | None
):
    if expected is None:
        expected = "https://git.example/o/r/-/edit/main/n/"
    assert notes_edit_url(repo_url, edit_uri, docs_dir, notes_dir) == expected


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "docs_dir"),
    [
        (REPO, "edit/main/", "docs"),  # the docs folder is not at its end
        (REPO, "edit/main/other/", "site_src"),
        (None, "edit/main/docs/", "docs"),  # relative, and no repo_url to resolve it
        (REPO, "?path=/docs/", "docs"),
    ],
)
def test_edit_uri_that_cannot_be_mapped_is_an_error(
    repo_url: str | None, edit_uri: str, docs_dir: str
):
    with pytest.raises(ValueError, match="edit_uri"):
        notes_edit_url(repo_url, edit_uri, docs_dir, "notes")


# --- whole sites -------------------------------------------------------------------------------

NOTES = {
    "people/Ian M#1.md": "# Ian\n\nIan knows [[Plain]] and [[Nobody]].\n",
    "plain.md": "---\ntags: [demo]\n---\n# Plain\n\nA note.\n",  # a tag: the site has tag pages
}


def project(root: Path, docs_dir: str = "site_src", **settings: Any) -> Path:
    """A project whose notes are in `vault/`, docs in `docs_dir`, with mkdocs.yml settings."""
    write_files(root / "vault", NOTES)
    (root / docs_dir).mkdir()
    (root / docs_dir / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    plugin = {"notes_dir": "vault", "local_graph": False, "search": "material"}
    plugin.update(settings.pop("plugin", {}))
    config = {
        "site_name": "Edit links",
        "docs_dir": docs_dir,
        "theme": {"name": "material", "font": False, "features": ["content.action.edit"]},
        "plugins": [{"notegraph": plugin}],
        **settings,
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root / "mkdocs.yml"


def edit_links(page: Element) -> list[str]:
    """Hrefs of our "Edit this note" link, then of Material's edit button, on a page."""
    ours = [a.attrs["href"] for a in page.find_all("a") if a.text.strip() == "Edit this note"]
    theirs = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("rel") == "edit"]
    return ours + theirs


def test_note_in_a_subfolder_links_to_its_source_from_repo_url(tmp_path: Path, build_config: Any):
    config = project(tmp_path, repo_url=REPO, edit_uri="edit/main/site_src/")
    built = build_config(config, tmp_path / "site", strict=True)
    source = f"{REPO}/edit/main/vault/people/Ian%20M%231.md"
    ian = parse(built.page("notes/people/ian-m1.md"))
    assert edit_links(ian) == [source, source]  # our link and Material's button agree
    plain = parse(built.page("notes/plain.md"))
    assert edit_links(plain) == [f"{REPO}/edit/main/vault/plain.md"] * 2
    # Generated pages that are no note have no edit button (their path would be wrong) ...
    for src_uri in ("topics/nobody.md", "notes/index.md", "notes/people/index.md", "tags/index.md"):
        assert edit_links(parse(built.page(src_uri))) == [], src_uri
    # ... and a hand-written page keeps Material's, under docs_dir.
    about = parse(built.page("about.md"))
    assert edit_links(about) == [f"{REPO}/edit/main/site_src/about.md"]
    # Nowhere a link into docs_dir for a note.
    for page in built.site_dir.rglob("*.html"):
        assert "site_src/notes/" not in page.read_text(encoding="utf-8"), page


def test_material_header_links_the_repository_without_asking_github(
    tmp_path: Path, build_config: Any
):
    config = project(tmp_path, repo_url=REPO)
    built = build_config(config, tmp_path / "site", strict=True)
    for src_uri in ("notes/plain.md", "about.md"):
        html = built.page(src_uri).read_text(encoding="utf-8")
        sources = parse(built.page(src_uri)).find_all("a", "md-source")  # header and drawer
        assert [a.attrs["href"] for a in sources] == [REPO, REPO]
        # Material's script fetches api.github.com for every element of this component.
        assert 'data-md-component="source"' not in html
    # MkDocs' default edit_uri (edit/master/docs/) maps to the notes folder as well.
    ian = parse(built.page("notes/people/ian-m1.md"))
    assert edit_links(ian) == [f"{REPO}/edit/master/vault/people/Ian%20M%231.md"] * 2


def test_edit_url_option_overrides_and_empty_turns_links_off(tmp_path: Path, build_config: Any):
    base = "https://git.example/o/r/src/main/vault/"
    config = project(tmp_path / "a", repo_url=REPO, plugin={"edit_url": base})
    built = build_config(config, tmp_path / "a" / "site", strict=True)
    assert edit_links(parse(built.page("notes/plain.md"))) == [base + "plain.md"] * 2
    config = project(tmp_path / "b", repo_url=REPO, plugin={"edit_url": ""})
    built = build_config(config, tmp_path / "b" / "site", strict=True)
    assert edit_links(parse(built.page("notes/plain.md"))) == []


def test_no_repo_url_no_edit_link(tmp_path: Path, build_config: Any):
    built = build_config(project(tmp_path), tmp_path / "site", strict=True)
    assert edit_links(parse(built.page("notes/people/ian-m1.md"))) == []


def test_edit_uri_without_the_docs_folder_is_reported(tmp_path: Path, build_config: Any):
    config = project(tmp_path, repo_url=REPO, edit_uri="edit/main/")
    built = build_config(config, tmp_path / "site")
    assert [m for m in built.warnings if "Edit this note" in m] == [
        "notegraph: no 'Edit this note' links: edit_uri 'edit/main/' does not end with the "
        "docs folder 'site_src'; set the plugin's edit_url"
    ]
    assert edit_links(parse(built.page("notes/plain.md"))) == []

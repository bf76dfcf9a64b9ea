"""Worker processes render generated pages (`prerender`) and change nothing: the
site is the same byte for byte (though a worker reuses one Markdown converter for all its
pages, where MkDocs builds one a page), warnings found while rendering still count for
--strict, and a site with a plugin that is not known to be safe renders everything in one
process."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Built, write_files
from notegraph.mkdocs_plugin.prerender import MIN_PAGES

VIDEO = "7gaPPrAd7nc"


def vault() -> dict[str, str]:
    """Enough notes (with topics, tags, a video and embeds) for the workers to start."""
    notes = {}
    for n in range(MIN_PAGES):
        notes[f"group{n % 3}/note_{n:03d}.md"] = (
            f"---\ntitle: Note {n}\ntags: [t{n % 4}]\nvideoId: {VIDEO}\n---\n"
            f"# Note {n}\n\n## Part\n\n"
            f"Links to [[note_{(n + 1) % MIN_PAGES:03d}]] and [[Topic {n % 7}]] "
            f'<a class="yt-timestamp" data-t="00:0{n % 6}:1{n % 10}">[00:0{n % 6}:1{n % 10}]</a>.'
            f"\n\nSee [[note_{(n * 7) % MIN_PAGES:03d}#Part|its part]].\n"
            # What a converter keeps per document: footnotes and their numbers, headings'
            # ids, abbreviations, a fence, a task list and a block id.
            f"\nA claim[^a] and a second one[^b] about HTML.\n\n[^a]: First.\n[^b]: Second.\n"
            f"\n## Part\n\n```python\nprint({n})\n```\n\n- [x] done\n- [ ] to do\n\n"
            f"A paragraph with an id. ^para{n % 2}\n\n*[HTML]: Hypertext Markup Language\n"
        )
    notes["odd.md"] = '---\ntitle: Fish & "chips" <b>bold</b>\n---\nAbout [[Topic 1]].\n'
    notes["cycle_a.md"] = "# Cycle A\n\n![[cycle_b]]\n"  # reported while the page is written
    notes["cycle_b.md"] = "# Cycle B\n\n![[cycle_a]]\n"
    notes["embedder.md"] = (
        "# Embedder\n\n![[note_001]]\n\nAn [absolute link](/elsewhere/page.md).\n"
    )
    return notes


def write_project(
    root: Path,
    workers: int,
    plugins: list[Any] | None = None,
    extensions: list[Any] = (),
    overrides: dict[str, str] | None = None,
) -> Path:
    write_files(root / "vault", vault())
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nSee [a note](notes/embedder.md).\n")
    (root / "docs" / "about.md").write_text("# About\n")
    write_files(root / "overrides", overrides or {})
    config = {
        "site_name": "Workers",
        "docs_dir": "docs",
        # Tabs and a navigation with a section: Material's chrome, which workers render once
        # for the pages that show the same (`chrome`), has all its parts.
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.tabs"],
            **({"custom_dir": "overrides"} if overrides else {}),
        },
        "nav": [
            {"Home": "index.md"},
            {"More": [{"About": "about.md"}, {"Elsewhere": "https://example.com/"}]},
        ],
        "validation": {"links": {"absolute_links": "warn"}},
        # Search in runs of about 1 MB: Pagefind gets the pages the workers wrote by name.
        "plugins": plugins
        or [
            "search",
            {"notegraph": {"notes_dir": "vault", "workers": workers, "search_shard_mb": 1}},
        ],
        "markdown_extensions": [
            "attr_list",
            "md_in_html",
            "tables",
            "abbr",
            {"toc": {"permalink": True}},
            *extensions,
        ],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def build(build_config: Any, config_file: Path, strict: bool = False) -> tuple[Built, int]:
    """Build; also how many pages workers rendered (from the plugin's timings file)."""
    timings = config_file.parent / "timings.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NOTEGRAPH_TIMINGS", str(timings))
        built = build_config(config_file, config_file.parent / "site", strict=strict)
    return built, json.loads(timings.read_text())["pages_by_workers"]


def absolute_link_warnings(built: Built) -> list[str]:
    return [w for w in built.warnings if "absolute link '/elsewhere/page.md'" in w]


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> tuple[Built, int]:
    return build(build_config, write_project(tmp_path_factory.mktemp("serial"), workers=1))


@pytest.fixture(scope="module")
def parallel(tmp_path_factory: pytest.TempPathFactory, build_config: Any) -> tuple[Built, int]:
    return build(build_config, write_project(tmp_path_factory.mktemp("parallel"), workers=2))


def test_workers_render_the_generated_pages(parallel, serial) -> None:
    assert serial[1] == 0
    pages = sum(1 for p in parallel[0].site_dir.rglob("*.html") if "notes/" in p.as_posix())
    assert parallel[1] >= pages > MIN_PAGES


def test_the_site_is_the_same_byte_for_byte(parallel, serial) -> None:
    assert digests(parallel[0].site_dir) == digests(serial[0].site_dir)


def test_the_log_says_nothing_of_pages_skipped(parallel, serial) -> None:
    """A worker writes its pages; MkDocs is handed them empty and writes none again, and
    its note that it skipped an empty page is not shown for them."""
    for built, _ in (parallel, serial):
        said = [record.getMessage() for record in built.records]
        assert len(said) > 100
        assert not [message for message in said if message.startswith("Page skipped")]


def test_warnings_found_by_a_worker_are_logged_once(parallel, serial) -> None:
    assert len(absolute_link_warnings(serial[0])) == 1
    assert absolute_link_warnings(parallel[0]) == absolute_link_warnings(serial[0])


def test_what_writing_a_page_finds_is_reported_once(parallel, serial) -> None:
    def cycles(built: Built) -> list[str]:
        found = [w.split("/vault/")[-1] for w in built.warnings if "embed cycle" in w]
        return sorted(found)

    assert len(cycles(serial[0])) == 2  # one per page: a → b → a, b → a → b
    assert cycles(parallel[0]) == cycles(serial[0])


def test_strict_fails_on_a_warning_found_by_a_worker(tmp_path: Path, build_config: Any) -> None:
    """The embed cycles are found by workers: they reach the main process's summary of
    findings, whose warning (with MkDocs' own about the absolute link) fails --strict."""
    with pytest.raises(Exception, match="Aborted with 2 warnings in strict mode") as failure:
        build(build_config, write_project(tmp_path, workers=2), strict=True)
    logged = "\n".join(failure.value.__notes__)
    assert "  embed-cycle: 2 warnings\n    cycle_a.md:3:1: embed cycle" in logged


def test_an_unknown_plugin_keeps_every_page_in_one_process(
    tmp_path: Path, build_config: Any
) -> None:
    plugins = ["search", "offline", {"notegraph": {"notes_dir": "vault", "workers": 2}}]
    built, by_workers = build(build_config, write_project(tmp_path, workers=2, plugins=plugins))
    assert by_workers == 0
    assert len(absolute_link_warnings(built)) == 1


COUNTING = """
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class Count(Treeprocessor):
    seen = 0

    def run(self, root):
        for paragraph in root.iter("p"):
            Count.seen += 1  # never reset: a converter used twice counts on
            paragraph.set("title", f"paragraph {Count.seen}")


class CountExtension(Extension):
    def extendMarkdown(self, md):
        Count.seen = 0
        md.treeprocessors.register(Count(md), "count", 1)


def makeExtension(**kwargs):
    return CountExtension(**kwargs)
"""


def test_a_site_extension_that_keeps_state_gets_a_converter_per_page(
    tmp_path: Path, build_config: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An extension notegraph does not know may keep what it saw in one page for the next
    (this one numbers paragraphs from 1 in each new converter): workers build a converter
    for each of its pages, as MkDocs does, and the site is the one MkDocs would make."""
    (tmp_path / "counting.py").write_text(COUNTING, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    sites = {}
    for workers in (1, 2):
        root = tmp_path / f"workers{workers}"
        root.mkdir()
        config = write_project(root, workers=workers, extensions=["counting"])
        built, by_workers = build(build_config, config)
        assert by_workers > MIN_PAGES if workers == 2 else by_workers == 0
        sites[workers] = digests(built.site_dir)
    note = tmp_path / "workers2" / "site" / "notes" / "group0" / "note_099" / "index.html"
    assert '<p title="paragraph 1">' in note.read_text(encoding="utf-8")
    assert sites[2] == sites[1]


def test_a_site_that_overrides_the_header_gets_its_own_on_every_page(
    tmp_path: Path, build_config: Any
) -> None:
    """Workers share Material's own header between pages; a site's own header may show
    anything of the page, and is rendered for each."""
    mine = (
        '<header class="mine">{% if page %}{{ page.title }} at {{ page.url }}{% endif %}</header>'
    )
    header = {"partials/header.html": mine}
    built, by_workers = build(build_config, write_project(tmp_path, workers=2, overrides=header))
    assert by_workers > MIN_PAGES
    for n in (42, 99):
        page = built.site_dir / "notes" / "group0" / f"note_{n:03d}" / "index.html"
        mine = f'<header class="mine">Note {n} at notes/group0/note_{n:03d}/</header>'
        assert mine in page.read_text("utf-8")

"""What a reader sees of generated pages: topic titles, counts, embedded notes in the outline.

Each test builds a small vault in tmp_path (see conftest's `build_vault`) and reads the HTML
as a reader would: headings, the table of contents, listings, the graph's data.
"""

from __future__ import annotations

import json

import pytest
from htmltree import Element, article, lands_on, parse

# --- topic titles ------------------------------------------------------------------------------

TITLES_VAULT = {
    "a.md": (
        "# A\n\nA invests like [[angel_investing]] and [[angel_investing]] again, runs "
        "[[growth_loops|Growth loops]], studies [[ai-in-product-design]] and "
        "[[Nowhere Concept]], and keeps [[e-mail]].\n"
    ),
    "b.md": "# B\n\nB calls them [[angel_investing|angels]] and reads [[growth_loops]].\n",
}
TITLES = {  # topic key -> the title every page shows
    "topic:angel investing": "Angel investing",
    "topic:growth loops": "Growth loops",
    "topic:ai in product design": "Ai in product design",
    "topic:nowhere concept": "Nowhere Concept",
    "topic:e mail": "e-mail",
}


@pytest.fixture(scope="module")
def titled(build_vault):
    return build_vault("titles", TITLES_VAULT)


def _topic_pages(built) -> dict[str, Element]:
    graph = json.loads((built.site_dir / "graph.json").read_text(encoding="utf-8"))
    return {
        node["id"]: article(built.file(node["url"]))
        for node in graph["nodes"]
        if node["kind"] == "topic"
    }


def test_topic_titles_read_as_words_in_the_graph_json(titled):
    graph = json.loads((titled.site_dir / "graph.json").read_text(encoding="utf-8"))
    titles = {n["id"]: n["title"] for n in graph["nodes"] if n["kind"] == "topic"}
    assert titles == TITLES


@pytest.mark.parametrize(("node", "title"), sorted(TITLES.items()))
def test_topic_page_heading_is_the_readable_title(titled, node, title):
    page = _topic_pages(titled)[node]
    assert page.one("h1").text == title
    also = [p.text for p in page.find_all("p") if p.text.startswith("Also written")]
    assert all("_" not in text for text in also), also


def test_a_file_name_is_not_listed_as_another_spelling(titled):
    page = _topic_pages(titled)["topic:angel investing"]
    assert not [p for p in page.find_all("p") if p.text.startswith("Also written")]


def test_topic_index_az_and_graph_view_use_the_same_titles(titled):
    listed = {a.text for a in article(titled.file("topics/")).find_all("a")}
    assert set(TITLES.values()) <= listed
    in_az = set()
    for page in (titled.site_dir / "az").rglob("index.html"):
        in_az |= {a.text for a in article(page).find_all("a")}
    assert set(TITLES.values()) <= in_az
    view = json.loads((titled.site_dir / "graph" / "view.json").read_text(encoding="utf-8"))
    assert set(TITLES.values()) <= set(view["nodes"]["title"])


def test_a_link_written_as_a_file_name_shows_the_topic_title(titled):
    page = titled.page("notes/a.md")
    links = [a for a in article(page).find_all("a", "ng-topic") if "investing" in a.text]
    assert [a.text for a in links] == ["Angel investing", "Angel investing"]
    assert {lands_on(titled, page, a)[0] for a in links} == {"topics/angel-investing/index.html"}
    assert article(page).link("Growth loops") and article(page).link("Nowhere Concept")


# --- counts agree with their nouns --------------------------------------------------------------

STAMP = '<a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>'
ONES_VAULT = {
    "talks/talk.md": (
        f"---\ntitle: Talk\nvideoId: dQw4w9WgXcQ\ntags: [lonely]\n---\n\n"
        f"The talk names [[solitude]] once {STAMP}.\n"
    ),
}


@pytest.fixture(scope="module")
def ones(build_vault):
    return build_vault("ones", ONES_VAULT)


@pytest.mark.parametrize(
    ("url", "expected", "wrong"),
    [
        ("topics/solitude/", "1 mention in 1 note", "1 mentions"),
        ("topics/", "solitude · 1 mention", "1 mentions"),
        ("tags/", "#lonely · 1 note", "1 notes"),
        ("notes/", "talks · 1 note", "1 notes"),
        ("videos/", "· 1 note", "1 notes"),
        ("videos/dqw4w9wgxcq/", "1 moment from 1 note", "1 moments"),
    ],
)
def test_a_count_of_one_takes_the_singular(ones, url, expected, wrong):
    text = article(ones.file(url)).text
    assert expected in text
    assert wrong not in text


# --- embedded notes keep the host's outline -----------------------------------------------------

OUTLINE_VAULT = {
    "host.md": (
        "# Host\n\nIntro.\n\n![[lead]]\n\n## Part\n\nText.\n\n### Trust\n\nWhy trust matters.\n\n"
        "![[trust]]\n\n### Later\n\nAfter the embed.\n\n## Section only\n\n![[trust#Lost]]\n\n"
        "## End\n\nThe end.\n"
    ),
    "trust.md": (
        "# Trust\n\nTrust opens here.\n\n## Built\n\nSlowly.\n\n### Habits\n\nDaily.\n\n"
        "## Lost\n\nQuickly.\n"
    ),
    "lead.md": "---\ntitle: Lead\n---\n\n### Deep start\n\nA note whose first heading is deep.\n",
}


@pytest.fixture(scope="module")
def outlined(build_vault):
    return build_vault("outline", OUTLINE_VAULT, strict=True)


def _headings(page: Element) -> list[tuple[int, str]]:
    return [
        (int(e.tag[1]), e.text.rstrip("¶").strip())
        for e in page.iter()
        if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
    ]


def test_embedded_headings_sit_below_the_heading_that_holds_the_embed(outlined):
    assert _headings(article(outlined.page("notes/host.md"))) == [
        (1, "Host"),
        (2, "Deep start"),  # before any heading of the host: below its title
        (2, "Part"),
        (3, "Trust"),
        (4, "Built"),  # the embedded note's own "# Trust" is not repeated
        (5, "Habits"),
        (4, "Lost"),
        (3, "Later"),
        (2, "Section only"),
        (3, "Lost"),  # a section embed: its heading goes right below the host's
        (2, "End"),
    ]


def _toc(page: Element) -> list[tuple[int, str]]:
    """The table of contents as (depth, text), read from Material's nested lists."""
    nav = next(e for e in page.iter() if e.tag == "nav" and "md-nav--secondary" in e.classes)
    found: list[tuple[int, str]] = []

    def walk(element: Element, depth: int) -> None:
        for child in element.children:
            if isinstance(child, str):
                continue
            if child.tag == "li":
                found.append((depth, child.find_all("a")[0].text))
                for nested in child.children:
                    if isinstance(nested, Element) and nested.tag == "nav":
                        walk(nested.find_all("ul")[0], depth + 1)
            else:
                walk(child, depth)

    walk(nav.find_all("ul")[0], 0)
    return found


def test_table_of_contents_nests_the_embed_and_keeps_later_sections_out_of_it(outlined):
    toc = _toc(parse(outlined.page("notes/host.md")))
    assert toc == [
        (0, "Deep start"),
        (0, "Part"),
        (1, "Trust"),
        (2, "Built"),
        (3, "Habits"),
        (2, "Lost"),
        (1, "Later"),
        (0, "Section only"),
        (1, "Lost"),
        (0, "End"),
    ]


def test_an_embed_deeper_than_six_levels_stays_at_six(build_vault):
    deep = "\n\n".join(f"{'#' * n} Level {n}" for n in range(2, 7))
    built = build_vault(
        "deep-embed",
        {"host.md": f"# Host\n\n{deep}\n\n![[inner]]\n", "inner.md": "# Inner\n\n## Below\n\nx\n"},
    )
    levels = _headings(article(built.page("notes/host.md")))
    assert levels[-1] == (6, "Below")

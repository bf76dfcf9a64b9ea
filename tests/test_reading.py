"""What a reader sees of generated pages: topic titles, counts.

Each test builds a small vault in tmp_path (see conftest's `build_vault`) and reads the HTML
as a reader would: headings, the table of contents, listings, the graph's data.
"""

from __future__ import annotations

import json

import pytest
from htmltree import Element, article, lands_on

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

"""What a reader sees of generated pages: topic titles, counts, embedded notes in the outline.

Each test builds a small vault in tmp_path (see conftest's `build_vault`) and reads the HTML
as a reader would: headings, the table of contents, listings, the graph's data.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import write_files
from htmltree import Element, article, lands_on, parse
from notegraph.cli.main import main

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
    "topic:e mail": "E-mail",
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
        ("topics/", "Solitude · 1 mention", "1 mentions"),
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


# --- the home page of a bare vault ----------------------------------------------------------------

HOME_VAULT = {
    "hub.md": "---\ntitle: Hub\ntags: [channel]\n---\n\nEvery episode: [[Ep one]], [[Ep two]], "
    "[[Ep three]].\n",
    "ep_one.md": "---\ntitle: Ep one\ndate: 2024-01-05\nvideoId: dQw4w9WgXcQ\n---\n\n"
    "From: [[Hub]] <br/>\n\nOne on [[Pricing]] and [[Churn]] "
    '<a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>.\n',
    "ep_two.md": "---\ntitle: Ep two\ndate: 2024-03-01\n---\n\nFrom: [[Hub]]\n\n"
    "Two on [[Pricing]], after [[Ep one]].\n",
    "ep_three.md": "---\ntitle: Ep three\nupdated: 2024-02-10\n---\n\nThree on [[pricing]] "
    "and [[Ep one]].\n",
}


def build_bare(tmp_path: Path, notes: dict[str, str], name: str = "My vault") -> Path:
    """Build `notes` as `notegraph build VAULT` does (no mkdocs.yml, no index.md)."""
    vault = write_files(tmp_path / name, notes)
    site = tmp_path / "site"
    cwd = os.getcwd()
    os.chdir(tmp_path)  # no mkdocs.yml here; the layout cache stays in tmp_path
    try:
        assert main(["build", str(vault), "-d", str(site)]) == 0
    finally:
        os.chdir(cwd)
    return site


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return build_bare(tmp_path_factory.mktemp("home"), HOME_VAULT)


def _card(page: Element, heading: str) -> list[str]:
    cards = [s for s in page.find_all("section") if s.find_all("h2")]
    card = next(s for s in cards if s.find_all("h2")[0].text == heading)
    return [li.text for li in card.find_all("li")]


def test_home_says_what_the_site_is_and_counts_it(home):
    page = article(home / "index.html")
    assert page.one("h1").text == "My vault"
    lead = page.one("p", "ng-home-lead").text
    assert lead.startswith("A knowledge graph of 4 notes linking 2 topics and 1 video")
    counts = [li.text for li in page.one("ul", "ng-home-counts").find_all("li")]
    assert counts == ["4 notes", "2 topics", "1 video", "1 tag", "11 links"]


def test_home_lists_the_most_linked_notes_topics_channels_and_videos(home):
    page = article(home / "index.html")
    assert _card(page, "Most linked notes") == [
        "Ep one 3 notes",
        "Ep three 1 note",
        "Ep two 1 note",
    ]  # not Hub: a channel, listed under Channels
    assert _card(page, "Most linked topics") == ["Pricing 3 notes", "Churn 1 note"]
    assert _card(page, "Channels") == ["Hub 5 links"]  # tagged `channel`
    assert _card(page, "Most cited videos") == ["Ep one 1 moment"]


def test_home_lists_recent_notes_by_their_date_newest_first(home):
    page = article(home / "index.html")
    assert _card(page, "Recently changed") == [
        "Ep two 2024-03-01",
        "Ep three 2024-02-10",
        "Ep one 2024-01-05",
    ]


def test_home_has_a_search_box_and_a_graph_preview_that_opens_the_graph(home):
    page = article(home / "index.html")
    form = page.one("form", "ng-home-search")
    assert form.one("input").attrs["name"] == "q"  # Material opens its search with ?q=
    graph = page.one("section", "ng-home-graph")
    link = graph.find_all("a")[0]
    assert link.attrs["href"] == "graph/"
    circles = link.one("svg").find_all("circle")
    assert len(circles) == 7  # 4 notes, 2 topics, 1 video: every node of a small graph
    assert (home / "graph" / "index.html").is_file()


def test_home_of_the_same_vault_is_the_same_bytes(home, tmp_path):
    again = build_bare(tmp_path, HOME_VAULT)
    assert (again / "index.html").read_bytes() == (home / "index.html").read_bytes()


def test_a_vault_without_tags_or_topics_has_no_such_tab_or_page(tmp_path):
    site = build_bare(tmp_path, {"a.md": "# A\n\nSee [[b]].\n", "b.md": "# B\n\nPlain.\n"})
    assert not (site / "tags").exists() and not (site / "topics").exists()
    tabs = [a.text for a in parse(site / "index.html").find_all("a", "md-tabs__link")]
    assert "Tags" not in tabs and "Topics" not in tabs and "Notes" in tabs
    page = article(site / "index.html")
    assert "Nothing here yet" not in page.text
    counts = [li.text for li in page.one("ul", "ng-home-counts").find_all("li")]
    assert counts == ["2 notes", "1 link"]


def test_recent_notes_come_from_git_when_no_note_has_a_date(tmp_path):
    vault = tmp_path / "repo" / "vault"
    write_files(vault, {"old.md": "# Old\n\nFirst.\n"})
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def commit(day: str) -> None:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = f"{day}T12:00:00+00:00"
        git = ["git", "-C", str(tmp_path / "repo")]
        subprocess.run([*git, "add", "-A"], check=True, env=env)
        subprocess.run([*git, "commit", "-qm", day], check=True, env=env)

    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    commit("2023-05-01")
    write_files(vault, {"new.md": "# New\n\nSecond, about [[Old]].\n"})
    commit("2023-06-02")
    site = build_bare(tmp_path, {}, name="repo/vault")
    assert _card(article(site / "index.html"), "Recently changed") == [
        "New 2023-06-02",
        "Old 2023-05-01",
    ]


def test_a_mention_inside_bold_text_shows_no_asterisks(build_vault):
    built = build_vault(
        "bold-mention",
        {"a.md": "# A\n\n* **Building a [[founder_mindset|Founder Mindset]]**: start small.\n"},
    )
    mentions = [li.text for li in article(built.page("topics/founder-mindset.md")).find_all("li")]
    assert "Building a Founder Mindset: start small." in mentions
    assert not [m for m in mentions if "*" in m]


def test_home_counts_a_video_s_moments_once_each_and_not_a_broken_stamp(tmp_path):
    stamp = '<a class="yt-timestamp" data-t="{0}">[{0}]</a>'
    notes = dict(HOME_VAULT)
    notes["ep_one.md"] = (
        "---\ntitle: Ep one\nvideoId: dQw4w9WgXcQ\n---\n\n"
        f"One on [[Pricing]] {stamp.format('00:01:05')}. Again {stamp.format('00:01:05')}. "
        f"Later {stamp.format('00:02:00')}. Broken {stamp.format('xx:yy')}.\n"
    )
    page = article(build_bare(tmp_path, notes) / "index.html")
    assert _card(page, "Most cited videos") == ["Ep one 2 moments"]  # 1:05 and 2:00

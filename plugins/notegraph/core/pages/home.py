"""The home page of a vault that has none: what the site is, and ways into it.

A vault published as it is (``notegraph build VAULT``) has no ``index.md``; its home page
says what the site holds (notes, topics, videos, tags, links), offers a search box, and
lists ways in: the most linked notes and topics, the channels and the most cited videos,
the notes changed last, and a small drawing of the concept graph that opens the graph page.

Everything is computed from the vault (and its git history), never from the clock: the same
vault gives the same page, byte for byte.

>>> latest({"updated": "2024-03-01T10:00", "date": datetime.date(2023, 1, 2)})
'2024-03-01'
>>> latest({"date": "yesterday"}) is None
True
"""

from __future__ import annotations

import datetime
import html
import math
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notegraph.core.base.names import NoteId, SrcUri, yaml_string
from notegraph.core.base.report import plural
from notegraph.core.pages.fragments import Fragments
from notegraph.core.pages.pages import html_href, html_link

if TYPE_CHECKING:
    from notegraph.core.graph.view import GraphView
    from notegraph.core.pages.site import Site

__all__ = [
    "DATE_KEYS",
    "home_page",
    "graph_svg",
    "latest",
    "git_dates",
    "note_dates",
]

TOP = 8
"""Entries in each "most linked" list."""
DATE_KEYS = ("updated", "modified", "lastmod", "last_modified", "date", "created")
"""Frontmatter keys that date a note, the most telling first (a change before a creation)."""
SVG_NODES = 320
SVG_EDGES = 900
SVG_WIDTH, SVG_HEIGHT = 960, 420
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def latest(meta: Mapping[str, Any]) -> str | None:
    """The date of a note from its frontmatter (`DATE_KEYS`), as ``YYYY-MM-DD``; None when
    no key holds a date."""
    for key in DATE_KEYS:
        value = meta.get(key)
        if isinstance(value, datetime.date):  # datetime too: YAML reads both
            return value.isoformat()[:10]
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            return value.strip()[:10]
    return None


def git_dates(root: Path, timeout: float = 20.0) -> dict[str, str]:
    """Date of the last commit of each file under `root`, by path relative to it, when
    `root` is in a git work tree; {} otherwise (no git, no history, too slow)."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout.strip()
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--format=@%cs", "--name-only", "--", "."],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    prefix = root.resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dates: dict[str, str] = {}
    day = ""
    for line in log.splitlines():
        if line.startswith("@"):
            day = line[1:]
        elif line.startswith(prefix) and line:
            dates.setdefault(line[len(prefix) :], day)  # newest first: keep the first seen
    return dates


def note_dates(site: Site) -> dict[NoteId, str]:
    """Date of each note: its frontmatter's, else its last commit's (`git_dates`)."""
    found = {n: d for n, note in site.vault.notes.items() if (d := latest(note.meta))}
    if found:
        return found
    committed = git_dates(site.vault.root)
    return {n: committed[n] for n in site.vault.notes if n in committed}


def _ranked(counts: Mapping[Any, int], title: Mapping[Any, str], top: int) -> list[Any]:
    """The `top` keys with the highest counts (ties: by title), counts of 0 left out."""
    keys = [k for k, n in counts.items() if n > 0]
    return sorted(keys, key=lambda k: (-counts[k], title[k].casefold(), str(k)))[:top]


def _list(site: Site, entries: Iterable[tuple[str, str, str]]) -> str:
    """A list of links (title, target source path, text after the link) from the home page."""
    items = []
    for title, uri, extra in entries:
        count = html.escape(extra, quote=False)
        after = f' <span class="ng-home-count">{count}</span>' if extra else ""
        items.append(f"<li>{html_link(title, html_href(site, uri, 'index.md'))}{after}</li>")
    return '<ul class="ng-home-list">' + "".join(items) + "</ul>" if items else ""


def _card(heading: str, body: str, more: tuple[str, str] | None = None) -> str:
    """A titled list; `more` (text, href) links the whole section."""
    link = ""
    if more is not None:
        link = f'<p class="ng-home-more"><a href="{html.escape(more[1])}">{more[0]}</a></p>'

    return f'<section class="ng-home-card"><h2>{heading}</h2>{body}{link}</section>'


def _more(site: Site, section: str, count: int, noun: str) -> tuple[str, str] | None:
    """A link to the whole section, when the card shows only part of it."""
    return (f"All {plural(count, noun)}", _section_href(site, section)) if count > TOP else None


def _section_href(site: Site, section: str) -> str:
    return html_href(site, SrcUri(f"{section}/index.md"), "index.md")


def _cards(site: Site) -> list[str]:
    notes = site.vault.notes
    cards: list[str] = []
    channels = _channels(site)
    hubs = {n for n, _ in channels}  # listed under Channels, not among the notes
    linked_from = {
        n: len({m.source for m in site.links.backlinks.get(n, ())}) for n in notes if n not in hubs
    }
    titles = {n: note.title for n, note in notes.items()}
    top = _ranked(linked_from, titles, TOP)
    if top:
        entries = [(titles[n], site.map.note_uri[n], plural(linked_from[n], "note")) for n in top]
        cards.append(_card("Most linked notes", _list(site, entries)))
    mentioned = {k: len({m.source for m in site.links.mentions[k]}) for k in site.map.topic_uri}
    top_topics = _ranked(mentioned, site.map.topic_title, TOP)
    if top_topics:
        entries = [
            (site.map.topic_title[k], site.map.topic_uri[k], plural(mentioned[k], "note"))
            for k in top_topics
        ]
        more = _more(site, "topics", len(site.map.topic_uri), "topic")
        cards.append(_card("Most linked topics", _list(site, entries), more))
    if channels:
        entries = [(titles[n], site.map.note_uri[n], plural(c, "link")) for n, c in channels]
        cards.append(_card("Channels", _list(site, entries)))
    if site.map.video_uri:
        moments = {
            v: len(set().union(*(notes[n].stamps.moments() for n in site.map.video_notes[v])))
            for v in site.map.video_uri
        }
        top_videos = _ranked(moments, site.map.video_title, TOP) or sorted(site.map.video_uri)[:TOP]
        entries = [
            (site.map.video_title[v], site.map.video_uri[v], plural(moments[v], "moment"))
            for v in top_videos
        ]
        more = _more(site, "videos", len(site.map.video_uri), "video")
        cards.append(_card("Most cited videos", _list(site, entries), more))
    dates = note_dates(site)
    if dates:
        recent = sorted(dates, key=lambda n: (dates[n], titles[n].casefold(), n), reverse=True)
        entries = [(titles[n], site.map.note_uri[n], dates[n]) for n in recent[:TOP]]
        cards.append(_card("Recently changed", _list(site, entries)))
    return cards


def _channels(site: Site) -> list[tuple[NoteId, int]]:
    """Channel hubs (`graphview.node_kinds`) with their number of links, most linked first."""
    from notegraph.core.graph.view import node_kinds

    hubs = [n for n, kind in node_kinds(site.G).items() if kind == "channel"]
    degree = {n: site.G.degree(n) for n in hubs}
    ordered = sorted(hubs, key=lambda n: (-degree[n], str(n)))[:TOP]
    return [(NoteId(str(n)), degree[n]) for n in ordered]


def _counts(site: Site) -> str:
    """The site in numbers, each a link to its section."""
    links = sum(site.links.edges.values())  # wikilinks to notes and topics
    parts = [("notes", plural(len(site.vault.notes), "note"))]
    if site.map.topic_uri:
        parts.append(("topics", plural(len(site.map.topic_uri), "topic")))
    if site.map.video_uri:
        parts.append(("videos", plural(len(site.map.video_uri), "video")))
    if site.map.tag_uri:
        parts.append(("tags", plural(len(site.map.tag_uri), "tag")))
    items = "".join(
        f'<li><a href="{html.escape(_section_href(site, section))}">{text}</a></li>'
        for section, text in parts
    )
    items += f"<li>{plural(links, 'link')}</li>"
    return f'<ul class="ng-home-counts">{items}</ul>'


def _lead(site: Site) -> str:
    notes = plural(len(site.vault.notes), "note")
    parts = [f"A knowledge graph of {notes}"]
    if site.map.topic_uri:
        parts.append(f" linking {plural(len(site.map.topic_uri), 'topic')}")
    if site.map.video_uri:
        parts.append(f" and {plural(len(site.map.video_uri), 'video')}")
    text = "".join(parts) + (
        ": every note is a page with the notes that link to it, every linked concept a topic "
        "page with each sentence that mentions it"
    )
    text += ", every cited moment a link into its video." if site.map.video_uri else "."
    return f'<p class="ng-home-lead">{html.escape(text, quote=False)}</p>'


def _search_box(count: int) -> str:
    """A search form: ``?q=`` opens the theme's search box with the query (Material)."""
    return (
        '<form class="ng-home-search" role="search" method="get" action="">'
        f'<input type="search" name="q" placeholder="Search {plural(count, "note")}" '
        'aria-label="Search the notes" autocomplete="off">'
        '<button type="submit" class="md-button md-button--primary">Search</button></form>'
    )


def home_page(site: Site, out: Fragments, search: bool = True) -> str:
    """The Markdown of the home page (its HTML blocks in `out`)."""
    name = site.options.site_name
    head = (  # a wide page, no sidebars
        f"---\ntitle: {yaml_string(html.escape(name, quote=False))}\n"
        "hide: [navigation, toc]\n---\n\n"
    )
    blocks = [f"<h1>{html.escape(name, quote=False)}</h1>", _lead(site)]
    if search:
        blocks.append(_search_box(len(site.vault.notes)))
    blocks.append(_counts(site))
    cards = _cards(site)
    if cards:
        blocks.append('<div class="ng-home-grid">' + "".join(cards) + "</div>")
    if site.graph_svg:
        graph = html_href(site, SrcUri("graph/index.md"), "index.md")
        blocks.append(
            f'<section class="ng-home-graph"><h2>The graph</h2>'
            f'<a href="{html.escape(graph)}" aria-label="Open the concept graph">'
            f"{site.graph_svg}</a>"
            f'<p class="ng-home-more"><a href="{html.escape(graph)}">Open the graph</a></p>'
            "</section>"
        )
    return head + "".join(out.block(block) for block in blocks)


def graph_svg(view: GraphView, nodes: int = SVG_NODES, edges: int = SVG_EDGES) -> str:
    """A small drawing of the concept graph: its `nodes` most linked nodes at their places
    on the map, and up to `edges` links among them; colours come from the page's CSS (its
    palette), one class per kind. "" for a graph of fewer than two nodes."""
    return _svg(view.positions, view.kinds, view.degree, view.edges, nodes, edges)


def _svg(
    positions: Sequence[tuple[float, float]],
    kinds: Sequence[str],
    degree: Sequence[int],
    links: Iterable[tuple[int, int]],
    nodes: int,
    edges: int,
) -> str:
    order = sorted(range(len(positions)), key=lambda i: (-degree[i], i))[:nodes]
    if len(order) < 2:
        return ""
    kept = set(order)
    xs = [positions[i][0] for i in order]
    ys = [positions[i][1] for i in order]
    x0, y0 = min(xs), min(ys)
    span = max(max(xs) - x0, (max(ys) - y0) * SVG_WIDTH / SVG_HEIGHT, 1e-9)
    pad = 14.0
    scale = (SVG_WIDTH - 2 * pad) / span
    height = (max(ys) - y0) * scale
    dy = pad + (SVG_HEIGHT - 2 * pad - height) / 2
    dx = pad + (SVG_WIDTH - 2 * pad - (max(xs) - x0) * scale) / 2

    def at(i: int) -> tuple[int, int]:
        x, y = positions[i]
        return round(dx + (x - x0) * scale), round(dy + (y - y0) * scale)

    among = sorted(
        ((u, v) for u, v in links if u in kept and v in kept),
        key=lambda e: (-(degree[e[0]] + degree[e[1]]), e),
    )[:edges]
    path = "".join(
        f"M{a[0]} {a[1]}L{b[0]} {b[1]}" for a, b in ((at(u), at(v)) for u, v in sorted(among))
    )
    by_kind: dict[str, list[str]] = {}
    for i in sorted(order):
        x, y = at(i)
        r = round(1.5 + 1.2 * math.log2(1 + degree[i]), 1)
        by_kind.setdefault(kinds[i], []).append(f'<circle cx="{x}" cy="{y}" r="{r}"/>')
    groups = "".join(
        f'<g class="ng-svg-{html.escape(kind)}">{"".join(circles)}</g>'
        for kind, circles in sorted(by_kind.items())
    )
    return (
        f'<svg class="ng-home-map" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" role="img" '
        f'aria-label="The {len(order)} most linked nodes of the concept graph">'
        f'<path class="ng-svg-edges" d="{path}"/>{groups}</svg>'
    )

"""Stage 5, the graph: the vault as a NetworkX graph (`build_graph`), and its ``graph.json``.

Nodes are notes (id: vault path), topics (id: ``topic:<key>``) and videos (id:
``video:<id>``); each carries ``title``,
``kind``, ``url`` (site-relative) and ``tags``. An edge ``u -> v`` means note ``u`` links to
``v``; ``count`` says how many times.

>>> G = nx.DiGraph()
>>> G.add_node("a.md", title="A", kind="note", url="notes/a/", tags=["x"])
>>> G.add_node("topic:b", title="B", kind="topic", url="topics/b/", tags=[])
>>> G.add_edge("a.md", "topic:b", count=2)
>>> print(graph_json(G))  # doctest: +NORMALIZE_WHITESPACE
{"directed": true, "edges": [{"count": 2, "source": "a.md", "target": "topic:b"}],
 "graph": {}, "multigraph": false,
 "nodes": [{"id": "a.md", "kind": "note", "tags": ["x"], "title": "A", "url": "notes/a/"},
           {"id": "topic:b", "kind": "topic", "tags": [], "title": "B", "url": "topics/b/"}]}
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import networkx as nx

from notegraph.core.base.jsonbytes import json_bytes
from notegraph.core.linker.links import Links, topic_node
from notegraph.core.sitemap.sitemap import SiteMap
from notegraph.core.vault.notes import Vault

__all__ = ["build_graph", "graph_json", "graph_json_bytes", "nodes_signature"]


def build_graph(vault: Vault, links: Links, site: SiteMap) -> nx.DiGraph:
    """The concept graph: a node per note, topic and video page, an edge per linking pair
    (``count`` links, the ``moments`` of the linking note's video that cite the link)."""
    G = nx.DiGraph()
    for note_id in sorted(vault.notes):
        note = vault.notes[note_id]
        G.add_node(
            note_id,
            title=note.title,
            kind="note",
            url=site.url(site.note_uri[note_id]),
            tags=list(note.tags),
            folder=note.folder,
        )
    for key in sorted(site.topic_uri):
        G.add_node(
            topic_node(key),
            title=site.topic_title[key],
            kind="topic",
            url=site.url(site.topic_uri[key]),
            tags=[],
            folder="",
        )
    for youtube in sorted(site.video_uri):
        G.add_node(
            f"video:{youtube}",
            title=site.video_title[youtube],
            kind="video",
            url=site.url(site.video_uri[youtube]),
            tags=[],
            folder="",
            video_id=youtube,
        )
        for note_id in site.video_notes[youtube]:
            seconds = vault.notes[note_id].stamps.moments()
            G.add_edge(
                note_id, f"video:{youtube}", count=len(seconds), moments=seconds, video=youtube
            )
    for (source, target), count in sorted(links.edges.items()):
        moments = list(links.moments.get((source, target), ()))
        attrs: dict[str, object] = {"moments": moments} if moments else {}
        video = site.videos.get(source)  # the moments are of the linking note's video
        if moments and video is not None and video.youtube:
            attrs["video"] = video.youtube
        G.add_edge(source, target, count=count, **attrs)
    return G


def _node_link(G: nx.DiGraph) -> dict[str, Any]:
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda node: str(node["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: (str(e["source"]), str(e["target"])))
    return data


def graph_json(G: nx.DiGraph) -> str:
    """Node-link JSON of `G` with keys ``nodes`` and ``edges``, sorted for byte-stable output."""
    return json.dumps(_node_link(G), sort_keys=True, ensure_ascii=False)


def graph_json_bytes(G: nx.DiGraph) -> bytes:
    """`graph_json` in UTF-8, never whole as a `str` (`jsonbytes`): the site's ``graph.json``.

    >>> G = nx.DiGraph()
    >>> G.add_edge("a.md", "topic:😀", count=1)
    >>> graph_json_bytes(G) == graph_json(G).encode("utf-8")
    True
    """
    return json_bytes(_node_link(G))


def nodes_signature(G: nx.DiGraph) -> str:
    """A digest of every node's id, kind, title and URL: it changes when a note is added,
    deleted, renamed or retitled (what other pages' local graphs show), not on other edits.

    >>> G = nx.DiGraph()
    >>> G.add_node("a.md", title="A", kind="note", url="notes/a/")
    >>> before = nodes_signature(G)
    >>> G.add_edge("a.md", "a.md", count=1)  # a new link
    >>> nodes_signature(G) == before
    True
    >>> nodes_signature(nx.relabel_nodes(G, {"a.md": "b.md"})) == before  # a rename
    False
    """
    digest = hashlib.sha1()
    for node, attrs in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        fields = (node, attrs.get("kind"), attrs.get("title"), attrs.get("url"))
        digest.update(json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8"))
    return digest.hexdigest()

"""The vault as a NetworkX graph, and its ``graph.json`` export.

Nodes are notes (id: vault path) and topics (id: ``topic:<key>``); each carries ``title``,
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

__all__ = ["graph_json", "nodes_signature"]


def graph_json(G: nx.DiGraph) -> str:
    """Node-link JSON of `G` with keys ``nodes`` and ``edges``, sorted for byte-stable output."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda node: str(node["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: (str(e["source"]), str(e["target"])))
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


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

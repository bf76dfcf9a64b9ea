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

import json
from typing import Any

import networkx as nx

__all__ = ["graph_json"]


def graph_json(G: nx.DiGraph) -> str:
    """Node-link JSON of `G` with keys ``nodes`` and ``edges``, sorted for byte-stable output."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda node: str(node["id"]))
    data["edges"] = sorted(data["edges"], key=lambda e: (str(e["source"]), str(e["target"])))
    return json.dumps(data, sort_keys=True, ensure_ascii=False)

"""Plotly figures of a network (bestbits/networks.py): its edges as lines, an invisible marker at
each edge's middle (what a click on an edge hits: plotly.js has no click on a line), and its
nodes as points sized by weighted degree, one trace per kind."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from bestbits.query import Rows
from bestbits.wording import counted
from dashboards.figures import PAGE_WIDTH

# Okabe-Ito, as the forums' colours (dashboards/figures.py): colour-blind-safe.
KIND_COLOURS = {
    "organisation": "#0072B2",
    "individual": "#D55E00",
    "not stated": "#999999",
    "people": "#009E73",
    "organisations": "#0072B2",
    "others": "#BBBBBB",
}
EDGE_COLOUR = "rgba(90, 90, 90, {alpha})"
NODE_META, EDGE_META = "node", "edge"


def network_figure(nodes: Rows, edges: Rows, directed: bool, title: str,
                   weight_words: tuple[str, str]) -> go.Figure:
    """NODES and EDGES as the network's tables hold them (id, label, kind, x, y, measures;
    source, target, weight). WEIGHT_WORDS name an edge's weight in the hover, for one and for
    more ("statement shared", "statements shared")."""
    figure = go.Figure()
    place = {r.id: (float(r.x), float(r.y)) for r in nodes}
    label = {r.id: str(r.label) for r in nodes}
    pairs = _pairs(edges, directed)
    # Lines thicker for heavier ties: a trace has one width, so one trace per width.
    for width, group in _by_width(pairs):
        xs, ys = [], []
        for (a, b), _ in group:
            if a == b or a not in place or b not in place:
                continue
            xs += [place[a][0], place[b][0], None]
            ys += [place[a][1], place[b][1], None]
        figure.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
            line={"width": width, "color": EDGE_COLOUR.format(alpha=0.25 + 0.1 * width)}))
    middles = [((a, b), weights) for (a, b), weights in pairs
               if a != b and a in place and b in place]
    figure.add_trace(go.Scatter(
        x=[(place[a][0] + place[b][0]) / 2 for (a, b), _ in middles],
        y=[(place[a][1] + place[b][1]) / 2 for (a, b), _ in middles],
        mode="markers", name="ties", meta=EDGE_META, showlegend=False,
        marker={"size": 8, "color": "rgba(0,0,0,0)"},
        customdata=[[a, b] for (a, b), _ in middles],
        text=[_edge_hover(a, b, weights, label, directed, weight_words)
              for (a, b), weights in middles],
        hovertemplate="%{text}<br><i>click to list them</i><extra></extra>"
        if not directed else "%{text}<extra></extra>"))
    largest = max([int(v) for v in nodes["weighted_degree"]] or [1]) or 1
    for kind, rows in nodes.groups("kind"):
        figure.add_trace(go.Scatter(
            x=rows["x"], y=rows["y"], mode="markers", name=str(kind),
            meta=NODE_META,
            marker={"size": [8 + 22 * (int(v) / largest) ** 0.5 for v in rows["weighted_degree"]],
                    "color": KIND_COLOURS.get(str(kind), "#999999"),
                    "line": {"width": 1, "color": "white"}},
            customdata=[[str(i)] for i in rows["id"]],
            text=[_node_hover(r) for r in rows],
            hovertemplate="%{text}<extra></extra>"))
    figure.update_layout(
        title={"text": title}, width=PAGE_WIDTH, height=680, template="plotly_white",
        hovermode="closest", legend={"title": {"text": "kind"}},
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
        margin={"l": 20, "r": 20, "t": 60, "b": 20})
    return figure


def _pairs(edges: Rows, directed: bool) -> list[tuple[tuple[str, str], dict]]:
    """One entry per pair of nodes: its weight, or (directed) its weight each way."""
    pairs: dict[tuple[str, str], dict] = {}
    for row in edges:
        a, b = str(row.source), str(row.target)
        key = tuple(sorted((a, b)))
        pairs.setdefault(key, {})[(a, b)] = int(row.weight)
    return list(pairs.items())


def _by_width(pairs):
    groups: dict[float, list] = {}
    for pair, weights in pairs:
        total = sum(weights.values())
        width = 1.0 if total <= 1 else 2.0 if total <= 2 else 3.5 if total <= 5 else 5.0
        groups.setdefault(width, []).append((pair, weights))
    return sorted(groups.items())


def _edge_hover(a: str, b: str, weights: dict, label: dict[str, str], directed: bool,
                weight_words: tuple[str, str]) -> str:
    if not directed:
        return (f"<b>{html.escape(label[a])}</b> and <b>{html.escape(label[b])}</b>: "
                f"{counted(sum(weights.values()), *weight_words)}")
    return "<br>".join(f"{html.escape(label[s])} → {html.escape(label[t])}: "
                       f"{counted(w, *weight_words)}"
                       for (s, t), w in sorted(weights.items()))


def _node_hover(row) -> str:
    parts = [f"<b>{html.escape(str(row.label))}</b> ({html.escape(str(row.kind))})"]
    if hasattr(row, "statements"):
        parts.append(f"{counted(row.statements, 'statement')} signed")
    parts.append(f"degree {row.degree}, weighted degree {row.weighted_degree}")
    parts.append(f"betweenness {row.betweenness:.3f}, community {row.community}")
    return "<br>".join(parts)

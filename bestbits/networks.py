"""The co-signatory and reply networks: built from the named queries, laid out and measured once
with networkx, for the pages' two faces and the exports alike.

- co-signatory: signatories as listed (organisations and individuals), an edge where two signed
  the same statement, weighted by how many they shared, each edge carrying those statements;
- replies: who answered whom on the list, by person (pseudonymised, as everywhere) or by
  organisation (sender domain), directed and weighted by replies; people and domains under the
  small-cell threshold are one "others" node (bestbits/privacy/small_cells.py says why).

Every network is drawn for a period (network_periods.sql: all, a year, before or from
NETmundial). The queries are run through a `run(name, **params)` callable, so the dashboards
(cached named queries) and the export (a connection) share this one definition.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bestbits.privacy import redact
from bestbits.privacy.opt_out import WITHHELD_NAME
from bestbits.query import Rows
from bestbits.wording import counted

if TYPE_CHECKING:
    import networkx as nx

# A named query's rows (Rows for the dashboards, a DataFrame for the export: both iterate as
# named tuples and give a column by name): run("network_cosignatory_edges", from_date=...).
RunQuery = Callable[..., Any]

COSIGNATORY, REPLIES_PEOPLE, REPLIES_ORGANISATIONS = (
    "cosignatory", "replies_people", "replies_organisations")
NETWORKS = {
    COSIGNATORY: "Who signed with whom",
    REPLIES_PEOPLE: "Who answered whom on the list (people)",
    REPLIES_ORGANISATIONS: "Who answered whom on the list (organisations, by sender domain)",
}
OTHERS = "others"
# A fixed seed: the same network and period are laid out the same in the live app, the edition
# and every export, so a screenshot can be found again.
LAYOUT_SEED = 2012

# What each measure means, in a line a researcher can quote beside the number.
MEASURES = {
    "degree": "Degree: how many others it is tied to (co-signed with, or replied to or by).",
    "weighted_degree": "Weighted degree: the sum of its ties' weights (statements shared, or "
                       "replies sent and received).",
    "betweenness": "Betweenness: the share of shortest paths between two others that pass "
                   "through it (0 to 1): how much it bridges otherwise separate parts.",
    "community": "Community: the group it falls in when ties are split to maximise modularity "
                 "(Clauset-Newman-Moore greedy, weighted); 1 is the largest group.",
}


@dataclass(frozen=True)
class Period:
    period: str          # the id: all, a year, before-netmundial, from-netmundial
    label: str
    from_date: str | None   # YYYY-MM-DD, None: no bound
    to_date: str | None
    source_url: str | None = None  # where the record has NETmundial's date from

    def params(self) -> dict[str, str | None]:
        return {"from_date": self.from_date, "to_date": self.to_date}


@dataclass
class Network:
    """One network for one period: the graph with its layout and measures, and as tables."""

    name: str
    period: Period
    graph: nx.Graph
    nodes: Rows
    edges: Rows
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{NETWORKS[self.name]}: {self.period.label}"


def periods(run: RunQuery, first_year: int, last_year: int) -> list[Period]:
    frame = run("network_periods", first_year=first_year, last_year=last_year)
    return [Period(str(r.period), str(r.label), _day(r.from_date), _day(r.to_date),
                   None if _missing(r.source_url) else str(r.source_url))
            for r in _records(frame)]


def period_named(run: RunQuery, period_id: str | None, first_year: int, last_year: int) -> Period:
    """The period PERIOD_ID names; everything when it names none."""
    found = periods(run, first_year, last_year)
    return next((p for p in found if p.period == period_id), found[0])


def cosignatory_network(run: RunQuery, period: Period) -> Network:
    import networkx as nx  # the networks page's alone: imported when it is drawn

    nodes = run("network_cosignatory_nodes", **period.params())
    edges = run("network_cosignatory_edges", **period.params())
    graph = nx.Graph()
    for row in _records(nodes):
        graph.add_node(str(row.name), label=_label(row.name), kind=str(row.kind),
                       statements=int(row.statements), statement_ids=_joined(row.statement_ids))
    for row in _records(edges):
        graph.add_edge(str(row.source), str(row.target), weight=int(row.weight),
                       statement_ids=_joined(row.statement_ids))
    # Opted-out signatories all read "[name withheld]": as one node they would tie statements
    # that different people signed, so they are left out (and said to be).
    withheld = WITHHELD_NAME in graph
    graph.remove_nodes_from([WITHHELD_NAME])
    network = _measured(COSIGNATORY, period, graph)
    if withheld:
        network.notes.append("Signatories whose names are withheld (opted out) are left out.")
    return network


def partiality(run: RunQuery, period: Period) -> tuple[str, Any]:
    """How partial the signatory lists of the period are, in a sentence, and per statement."""
    frame = run("network_period_statements", **period.params())
    with_list = [r for r in _records(frame) if r.listed > 0]
    stated = [r for r in with_list if not _missing(r.stated_number)]
    text = (f"{len(with_list)} of the {counted(len(frame), 'statement')} of this period "
            f"{'lists' if len(with_list) == 1 else 'list'} signatories "
            f"({counted(int(sum(r.listed for r in with_list)), 'signature')} listed in all).")
    if len(stated):
        text += (f" For the {len(stated)} of them whose source states a count, "
                 + counted(int(sum(r.listed for r in stated)), "signatory is", "signatories are")
                 + " listed where the sources "
                 f"state {int(sum(r.stated_number for r in stated))}: the network shows a part "
                 "of who signed.")
    else:
        text += " None of their sources states a count, so how partial the lists are is unknown."
    return text, frame


def reply_network(run: RunQuery, by: str, period: Period, min_cell: int,
                  list_name: str | None = "bestbits") -> Network:
    """BY people or organisations; nodes under MIN_CELL messages are merged into "others"."""
    name = REPLIES_PEOPLE if by == "people" else REPLIES_ORGANISATIONS
    edges = run(f"network_{name}", min_messages=max(1, int(min_cell)), list=list_name,
                **period.params())
    import networkx as nx

    graph = nx.DiGraph()
    for row in _records(edges):
        for node, label in ((row.source, row.source_label), (row.target, row.target_label)):
            if node not in graph:
                graph.add_node(str(node), label=_label(label),
                               kind=OTHERS if node == OTHERS else by)
        graph.add_edge(str(row.source), str(row.target), weight=int(row.weight))
    network = _measured(name, period, graph)
    if OTHERS in graph:
        network.notes.append(f"People and organisations with fewer than {min_cell} messages are "
                             f"one node, \"{OTHERS}\" (the small-cell rule); opted-out people are "
                             "left out.")
    return network


def _measured(name: str, period: Period, graph: nx.Graph) -> Network:
    """The layout and the measures, stored on the graph's nodes and as the two tables."""
    import networkx as nx

    ties = graph.to_undirected(as_view=False) if graph.is_directed() else graph
    # Self-loops (replies within one organisation) weigh on a node but tie it to no one else.
    loops = list(nx.selfloop_edges(ties))
    plain = ties.copy()
    plain.remove_edges_from(loops)
    layout = _layout(plain)
    betweenness = nx.betweenness_centrality(plain) if len(plain) > 2 else {n: 0.0 for n in plain}
    communities = (nx.community.greedy_modularity_communities(plain, weight="weight")
                   if plain.number_of_edges() else [{n} for n in plain])
    community_of = {n: i + 1 for i, group in enumerate(sorted(communities, key=lambda g: (
        -len(g), sorted(g)))) for n in group}
    for node, data in graph.nodes(data=True):
        x, y = layout.get(node, (0.0, 0.0))
        data.update(x=round(float(x), 4), y=round(float(y), 4), degree=plain.degree(node),
                    weighted_degree=int(graph.degree(node, weight="weight")),
                    betweenness=round(float(betweenness.get(node, 0.0)), 4),
                    community=int(community_of.get(node, 0)))
    nodes = Rows.from_records(sorted(
        ({"id": n, **d} for n, d in graph.nodes(data=True)),
        key=lambda r: (-r["weighted_degree"], r["label"])), _node_columns(graph))
    edges = Rows.from_records(sorted(
        ({"source": a, "target": b, **d} for a, b, d in graph.edges(data=True)),
        key=lambda r: (-r["weight"], r["source"], r["target"])), _edge_columns(graph))
    return Network(name, period, graph, nodes, edges)


def _layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Each connected part laid out on its own (spring layout, fixed seed) and the parts placed
    largest first, the others in rows under it: one layout of the whole pushes the small parts
    to the edges and shrinks the main one to a blot."""
    import networkx as nx

    parts = sorted((sorted(c, key=str) for c in nx.connected_components(graph)),
                   key=lambda c: (-len(c), str(c[0])))
    layout: dict[Any, tuple[float, float]] = {}
    left = right = row_x = row_y = 0.0
    for index, nodes in enumerate(parts):
        half = max(0.1, len(nodes) ** 0.5 / 2)  # a part's half-width grows with its nodes
        placed = ({nodes[0]: (0.0, 0.0)} if len(nodes) == 1 else nx.spring_layout(
            _in_order(graph, nodes), seed=LAYOUT_SEED, weight="weight",
            k=1.6 / len(nodes) ** 0.5, iterations=200))
        if index == 0:
            centre = (0.0, 0.0)
            left, right = -max(half, 1.0), max(half, 1.0)
            row_x, row_y = left, -half - 0.8
        else:
            if row_x > left and row_x + 2 * half > right:
                row_x, row_y = left, row_y - 1.4
            centre = (row_x + half, row_y)
            row_x += 2 * half + 0.4
        layout.update({n: (round(centre[0] + float(px) * half, 4),
                           round(centre[1] + float(py) * half, 4))
                       for n, (px, py) in placed.items()})
    return layout


def _in_order(graph: nx.Graph, nodes: list) -> nx.Graph:
    """The part of GRAPH on NODES, its nodes in that order. A subgraph view lists its nodes in
    the order of a set, which changes with each process's string hashing: the spring layout,
    seeded but given its nodes in another order, then placed them elsewhere in every kernel."""
    import networkx as nx

    part = nx.Graph()
    part.add_nodes_from(nodes)
    part.add_edges_from(graph.subgraph(nodes).edges(data=True))
    return part


def _node_columns(graph: nx.Graph) -> list[str]:
    extra = ["statements", "statement_ids"] if not graph.is_directed() else []
    return ["id", "label", "kind", *extra, "degree", "weighted_degree", "betweenness",
            "community", "x", "y"]


def _edge_columns(graph: nx.Graph) -> list[str]:
    return ["source", "target", "weight"] + ([] if graph.is_directed() else ["statement_ids"])


# The columns of the node and edge lists (the data package describes each with these).
COLUMNS = {
    "id": ("string", "The node: a signatory's name as listed, a person's pseudonym (author_id), "
                     "a sender domain, or 'others' (every one under the small-cell threshold)."),
    "label": ("string", "The node's name as shown: the signatory, the person's display name, the "
                        "organisation."),
    "kind": ("string", "organisation, individual or 'not stated' (signatories); people, "
                       "organisations or others (replies)."),
    "statements": ("integer", "Statements of the period it signed."),
    "statement_ids": ("string", "The statements (statements.statement_id), '; '-separated: those "
                                "it signed (node), or those both signed (edge)."),
    "degree": ("integer", MEASURES["degree"]),
    "weighted_degree": ("integer", MEASURES["weighted_degree"]),
    "betweenness": ("number", MEASURES["betweenness"]),
    "community": ("integer", MEASURES["community"]),
    "x": ("number", "The node's place in the drawing (networkx spring layout, fixed seed)."),
    "y": ("number", "The node's place in the drawing (networkx spring layout, fixed seed)."),
    "source": ("string", "One end of the edge (the replier, in a reply network): a node id."),
    "target": ("string", "The other end (the one replied to, in a reply network): a node id."),
    "weight": ("integer", "Statements both signed, or replies from source to target."),
}


def write_graphml(network: Network, path: Path) -> Path:
    """The network as GraphML (every attribute a plain string or number, as GraphML allows)."""
    import networkx as nx

    nx.write_graphml(network.graph, path)
    return path


def write_csv(network: Network, folder: Path, stem: str) -> tuple[Path, Path]:
    """The node list and the edge list as CSV: STEM_nodes.csv and STEM_edges.csv."""
    nodes_path, edges_path = folder / f"{stem}_nodes.csv", folder / f"{stem}_edges.csv"
    frame(network.nodes).to_csv(nodes_path, index=False)
    frame(network.edges).to_csv(edges_path, index=False)
    return nodes_path, edges_path


def frame(rows: Rows):
    """A node or edge list as a pandas DataFrame, for the files the export writes (CSV, Parquet):
    the export alone loads pandas, never a dashboard kernel."""
    import pandas as pd

    return pd.DataFrame(list(rows.data), columns=list(rows.columns))


def _label(value: Any) -> str:
    # Names come through the build's privacy gate; passing them again costs nothing and keeps
    # an address out of a node label whatever a later source holds.
    return redact(str(value)) or ""


def _records(rows: Any):
    """A query's rows as named tuples, whether Rows (the dashboards) or a DataFrame (the export)."""
    return rows.itertuples() if hasattr(rows, "itertuples") else iter(rows)


def _missing(value: Any) -> bool:
    """NULL as either kind of rows gives it: None, or pandas' NaN / NaT."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or \
        type(value).__name__ in ("NaTType", "NAType")


def _joined(ids: Any) -> str:
    """A list of statement ids as one '; '-separated cell (GraphML and CSV hold no lists)."""
    values = ids.tolist() if hasattr(ids, "tolist") else list(ids or [])
    return "; ".join(str(v) for v in values)


def _day(value: Any) -> str | None:
    return None if _missing(value) else str(value)[:10]

"""The co-signatory and reply networks (bestbits/networks.py): edges as the record has them, the
period filter, the small-cell rule, and the exports' GraphML and CSV lists."""

from __future__ import annotations

import csv
import json

import duckdb
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestbits import config, networks, query
from bestbits.database import connect
from support.cli import run_cli
from support.privacy_scan import addresses_in
from support.signatory_pairs import organisations_sharing_two_statements


def runner(db):
    con = connect(db, read_only=True)

    def run(name, **params):
        return query.run(con.cursor(), name, {k: v for k, v in params.items() if v is not None})
    return run


def everything(run) -> networks.Period:
    return networks.period_named(run, "all", config.FIRST_YEAR, config.LAST_YEAR)


@pytest.fixture(scope="module")
def list_db(tmp_path_factory):
    """The SYNTHETIC list of tests/support/list_fixture_db.py: six posters, two under k = 5."""
    from support.list_fixture_db import build_list_fixture_db

    return build_list_fixture_db(tmp_path_factory.mktemp("network-list"))


def test_two_organisations_that_signed_the_same_two_statements_have_an_edge_of_weight_2(built_db):
    a, b, shared = organisations_sharing_two_statements(built_db)
    run = runner(built_db)
    network = networks.cosignatory_network(run, everything(run))
    assert network.graph[a][b]["weight"] == 2
    assert sorted(network.graph[a][b]["statement_ids"].split("; ")) == shared
    listed = run("network_statements_signed", signatory=a, other=b)
    assert sorted(listed["statement_id"]) == shared
    assert listed["source_url"].notna().all() and listed["archived_url"].notna().all()


def test_the_period_keeps_statements_whose_every_possible_day_is_inside_it(built_db):
    run = runner(built_db)
    found = {p.period: p for p in networks.periods(run, config.FIRST_YEAR, config.LAST_YEAR)}
    with duckdb.connect(str(built_db), read_only=True) as con:
        opened = con.execute("SELECT min(start_date) FROM forum_meetings "
                             "WHERE forum = 'NETmundial'").fetchone()[0]
    assert found["from-netmundial"].from_date == str(opened)
    before = set(run("network_period_statements", **found["before-netmundial"].params())
                 ["statement_id"])
    after = set(run("network_period_statements", **found["from-netmundial"].params())
                ["statement_id"])
    assert before and after and not before & after
    years = set()
    for year in range(config.FIRST_YEAR, config.LAST_YEAR + 1):
        years |= set(run("network_period_statements", **found[str(year)].params())["statement_id"])
    assert before | after <= years


def test_the_measures_are_explained_and_stored_on_every_node(built_db):
    run = runner(built_db)
    network = networks.cosignatory_network(run, everything(run))
    for measure in ("degree", "weighted_degree", "betweenness", "community"):
        assert networks.MEASURES[measure]
        assert all(value is not None for value in network.nodes[measure])
    again = networks.cosignatory_network(run, everything(run))
    assert [(r.id, r.x, r.y) for r in network.nodes] == \
        [(r.id, r.x, r.y) for r in again.nodes]  # fixed seed
    text, frame = networks.partiality(run, everything(run))
    assert f"of the {len(frame)} statements" in text


def test_the_reply_network_merges_people_under_k_into_others(list_db):
    run = runner(list_db)
    k = config.DEFAULT_MIN_CELL
    with duckdb.connect(str(list_db), read_only=True) as con:
        few = {r[0] for r in con.execute("SELECT display_name FROM people WHERE n_messages < ?",
                                          [k]).fetchall()}
        small_domains = {r[0] for r in con.execute(
            "SELECT domain FROM domains WHERE n_messages < ?", [k]).fetchall()}
    assert few and small_domains, "the fixture has people and domains under k"
    people = networks.reply_network(run, "people", everything(run), k)
    labels = set(people.nodes["label"])
    assert networks.OTHERS in labels and not labels & few
    organisations = networks.reply_network(run, "organisations", everything(run), k)
    assert networks.OTHERS in set(organisations.nodes["id"])
    assert not set(organisations.nodes["id"]) & small_domains
    # Every reply is still counted, whoever wrote it: merging hides names, not replies.
    exact = networks.reply_network(run, "people", everything(run), 1)
    assert sum(exact.edges["weight"]) == sum(people.edges["weight"])
    assert networks.OTHERS not in set(exact.nodes["id"])


def test_the_export_writes_graphml_with_the_counts_of_its_node_and_edge_lists(list_db, tmp_path):
    out = tmp_path / "export"
    result = run_cli("export", "--db", str(list_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    package = json.loads((out / "datapackage.json").read_text())
    paths = {r["path"] for r in package["resources"]}
    k = config.DEFAULT_MIN_CELL
    with duckdb.connect(str(list_db), read_only=True) as con:
        few = {r[0] for r in con.execute("SELECT display_name FROM people WHERE n_messages < ?",
                                          [k]).fetchall()}
    for name in networks.NETWORKS:
        stem = f"network_{name}"
        assert {f"{stem}.graphml", f"{stem}_nodes.csv", f"{stem}_edges.csv"} <= paths
        graph = nx.read_graphml(out / f"{stem}.graphml")
        with (out / f"{stem}_nodes.csv").open(encoding="utf-8") as handle:
            nodes = list(csv.DictReader(handle))
        with (out / f"{stem}_edges.csv").open(encoding="utf-8") as handle:
            edges = list(csv.DictReader(handle))
        assert graph.number_of_nodes() == len(nodes) and graph.number_of_edges() == len(edges)
        for suffix in (".graphml", "_nodes.csv", "_edges.csv"):
            assert addresses_in((out / f"{stem}{suffix}").read_text(encoding="utf-8")) == []
        if name != networks.COSIGNATORY:
            assert len(nodes) > 1, f"{stem}: the synthetic list has replies"
            labels = {n["label"] for n in nodes} | {d.get("label") for _n, d in graph.nodes(data=True)}
            assert not labels & few, f"{stem}: a person under k is named"
    full = tmp_path / "full"
    assert run_cli("export", "--db", str(list_db), "--out", str(full),
                   "--full-detail").returncode == 0
    graph = nx.read_graphml(full / "network_replies_people.graphml")
    assert networks.OTHERS not in graph  # full detail: nobody merged


def test_the_cosignatory_graphml_counts_match_the_queries(built_db, tmp_path):
    run = runner(built_db)
    network = networks.cosignatory_network(run, everything(run))
    graph = nx.read_graphml(networks.write_graphml(network, tmp_path / "cosign.graphml"))
    assert graph.number_of_nodes() == len(run("network_cosignatory_nodes"))
    assert graph.number_of_edges() == len(run("network_cosignatory_edges"))


@settings(max_examples=40, deadline=None)
@given(local=st.from_regex(r"[a-z][a-z0-9._+-]{0,12}", fullmatch=True),
       host=st.from_regex(r"[a-z][a-z0-9-]{0,10}\.(org|net|com|br)", fullmatch=True),
       before=st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=20))
def test_no_node_label_holds_an_address(local, host, before):
    name = f"{before} <{local}@{host}>"
    assert addresses_in(networks._label(name)) == []


def test_withheld_signatories_are_left_out_rather_than_tied_together():
    """SYNTHETIC rows: two statements, each signed by an organisation and an opted-out person."""
    import pandas as pd

    from bestbits.privacy.opt_out import WITHHELD_NAME

    def run(name, **_params):
        if name == "network_cosignatory_nodes":
            return pd.DataFrame({"name": ["Org A", "Org B", WITHHELD_NAME],
                                 "kind": ["organisation", "organisation", "individual"],
                                 "statements": [1, 1, 2],
                                 "statement_ids": [["s1"], ["s2"], ["s1", "s2"]]})
        return pd.DataFrame({"source": ["Org A", "Org B"], "target": [WITHHELD_NAME] * 2,
                             "weight": [1, 1], "statement_ids": [["s1"], ["s2"]]})

    network = networks.cosignatory_network(run, networks.Period("all", "All years", None, None))
    assert set(network.nodes["id"]) == {"Org A", "Org B"} and network.edges.empty
    assert any("withheld" in note for note in network.notes)

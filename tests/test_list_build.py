"""The list reader in a real build: counts, rejects, threads, people, curated merge, privacy."""

from __future__ import annotations

import gzip
import hashlib
import json
import mailbox
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bestbits import config, query
from bestbits.export import export
from bestbits.load.build import build
from bestbits.load.forums import ForumMatch, RuleMatcher, load_rules
from bestbits.privacy import stored_import_name
from scrapers.collect.mailing_list import import_mbox
from scrapers.parse.mbox import message_key
from scrapers.parse.threads import ThreadInput, build_threads
from support.list_privacy import addresses_in
from support.peer_data import peer_data_dir
from support.pipermail_server import LIST_NAME, archive_files, fixture_months

PERCEVAL = (peer_data_dir() or Path("/nonexistent/peer-data")) / "perceval"
ARCHIVE = "http://lists.example.org/pipermail/testlist/"


def write_text_months(data: Path, list_name: str = LIST_NAME) -> Path:
    """The fixture months as the collector stores them: .txt.gz files and sources.json."""
    folder = data / "raw" / "list" / list_name
    folder.mkdir(parents=True, exist_ok=True)
    sources = {}
    for label, raw in fixture_months().items():
        (folder / f"{label}.txt.gz").write_bytes(gzip.compress(raw))
        sources[f"{label}.txt.gz"] = f"{ARCHIVE}{label}.txt.gz"
    (folder / "sources.json").write_text(json.dumps(sources))
    return folder


def build_into(data: Path) -> duckdb.DuckDBPyConnection:
    db = data / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None)
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture
def salted(monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")


@pytest.fixture
def fixture_db(tmp_path, salted) -> duckdb.DuckDBPyConnection:
    write_text_months(tmp_path)
    con = build_into(tmp_path)
    yield con
    con.close()


def rows(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def test_every_message_is_loaded_or_rejected_per_file(fixture_db):
    report = dict((source.rsplit("/", 1)[1], (total, loaded, rejected)) for source, total, loaded,
                  rejected in rows(fixture_db, "SELECT source, total, loaded, rejected FROM "
                                               "ingest_report WHERE stage = 'list'"))
    assert report == {"2012-August.txt.gz": (9, 8, 1), "2012-September.txt.gz": (2, 1, 1),
                      "2012-October.txt.gz": (0, 0, 0), "2022-January.txt.gz": (1, 1, 0)}
    reasons = sorted(r[0] for r in rows(fixture_db, "SELECT reason FROM rejects "
                                                    "WHERE stage = 'list'"))
    assert reasons[0].startswith("duplicate: the same Message-ID was loaded from "
                                 "raw/list/testlist/2012-August.txt.gz message 1")
    assert reasons[1].startswith("no sender")


def test_messages_dates_and_sources(fixture_db):
    counts = dict(rows(fixture_db, "SELECT date_source, count(*) FROM messages "
                                   "WHERE method = 'parsed' GROUP BY ALL"))
    assert counts == {"date-header": 7, "mbox-from-line": 2, "date-header-lenient": 1}
    quirk = rows(fixture_db, "SELECT sent_month, source_url FROM messages "
                             "WHERE subject LIKE '%WSIS+10 review'")
    assert quirk == [("2013-03", f"{ARCHIVE}2022-January.txt.gz")]
    assert rows(fixture_db, "SELECT count(*) FROM messages WHERE message_id_derived") == [(1,)]


def test_threads_follow_headers_and_subjects(fixture_db):
    sizes = dict(rows(fixture_db, """
        SELECT arg_min(subject, sent_at), count(*) FROM messages WHERE method = 'parsed'
        GROUP BY thread_id HAVING count(*) > 1"""))
    assert sizes == {"[testlist] Plans for the IGF in Baku": 4, "[testlist] Agenda draft": 2}
    sources = dict(rows(fixture_db, "SELECT reply_source, count(*) FROM messages "
                                    "WHERE reply_source IS NOT NULL GROUP BY ALL"))
    assert sources == {"in-reply-to": 2, "subject": 1, "references": 1}


# SYNTHETIC: a reply cycle (a answers c, b answers a, c answers b: clients that rewrite
# Message-IDs make such loops), a message hanging from it, and a plain thread beside it.
CYCLE_MESSAGES = [("a", "c"), ("b", "a"), ("c", "b"), ("d", "b"), ("e", None), ("f", "e")]


def test_reply_cycles_get_the_roots_build_threads_gives(tmp_path, salted):
    lines = []
    for number, (key, parent) in enumerate(CYCLE_MESSAGES, start=1):
        lines += [f"From jo@example.org Mon Jan  {number} 10:00:00 2013",
                  "From: Jo <jo@example.org>", f"Date: Mon, {number} Jan 2013 10:00:00 +0000",
                  f"Subject: Loop {key}", f"Message-ID: <{key}@example.org>"]
        lines += [f"In-Reply-To: <{parent}@example.org>"] if parent else []
        lines += ["", f"Message {key}.", ""]
    mbox = tmp_path / "cycle.mbox"
    mbox.write_text("\n".join(lines) + "\n")
    import_mbox([mbox], "cycles", tmp_path)
    con = build_into(tmp_path)
    key = {message_key(f"<{k}@example.org>"): k for k, _ in CYCLE_MESSAGES}
    built = {key[m]: key.get(t, t) for m, t in rows(
        con, "SELECT message_id, thread_id FROM messages WHERE list = 'cycles'")}
    expected = build_threads(
        ThreadInput(message_key(f"<{k}@example.org>"),
                    message_key(f"<{p}@example.org>") if p else None) for k, p in CYCLE_MESSAGES)
    assert built == {key[m]: key.get(link.thread_id) for m, link in expected.items()}
    assert built["d"] == built["a"] == built["b"] == built["c"] and built["f"] == "e"


def test_people_are_merged_with_explanations(fixture_db):
    people = rows(fixture_db, "SELECT display_name, n_addresses, n_messages, merged_by "
                              "FROM people ORDER BY display_name")
    assert len(people) == 6
    alice = [p for p in people if p[0].startswith("Al")][0]
    assert alice[1:] == (2, 2, "same name")
    merges = rows(fixture_db, "SELECT rule, evidence FROM person_merges")
    assert merges == [("same name", "both wrote as 'alice example'")]
    assert rows(fixture_db, "SELECT count(DISTINCT author_id) FROM messages "
                            "WHERE method = 'parsed'") == [(6,)]


def test_domains_and_body_forum_mentions(fixture_db):
    domains = dict(rows(fixture_db, "SELECT domain, organisation FROM domains"))
    assert domains["gmail.com"] == "Gmail (personal address)"
    assert domains["example.org"] == "example.org"
    body = rows(fixture_db, "SELECT forum, evidence FROM forum_mentions "
                            "WHERE evidence LIKE 'body:%' ORDER BY forum")
    # Bob's reply quotes Alice's "IGF" line: quoted text does not count as his mention.
    assert body == [("HRC", "body: 'Human Rights Council'"), ("IGF", "body: 'IGF'")]


def test_html_only_months_give_the_same_messages(tmp_path, salted):
    folder = tmp_path / "raw" / "list" / LIST_NAME
    for relative, body in archive_files(text=False).items():
        if relative.endswith(".html") and "/" in relative:
            target = folder / "html" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
    con = build_into(tmp_path)
    report = rows(con, "SELECT sum(total), sum(loaded), sum(rejected) FROM ingest_report "
                       "WHERE stage = 'list'")
    assert report == [(12, 10, 2)]
    assert rows(con, "SELECT DISTINCT date_source FROM messages WHERE method = 'parsed'") == [
        ("html-page",)]
    sizes = sorted(r[0] for r in rows(con, "SELECT count(*) FROM messages WHERE method = "
                                           "'parsed' GROUP BY thread_id HAVING count(*) > 1"))
    assert sizes == [2, 4]
    assert rows(con, "SELECT count(*) FROM people") == [(6,)]


def test_a_curated_sample_message_keeps_one_row(tmp_path, salted):
    # SYNTHETIC: a message with the same list, minute and subject as a row of the curated
    # sample (data/reference/list_messages.csv); its text and sender are made up.
    folder = tmp_path / "raw" / "list" / "bestbits"
    folder.mkdir(parents=True)
    (folder / "2012-August.txt").write_bytes(
        b"From test at example.org  Thu Aug 16 09:52:54 2012\n"
        b"From: test at example.org (Test Author)\nDate: Thu, 16 Aug 2012 05:52:10 -0400\n"
        b"Subject: Revised plans for Best Bits gathering - now in Baku\n"
        b"Message-ID: <synthetic-1@example.org>\n\nSynthetic body.\n\n")
    con = build_into(tmp_path)
    found = rows(con, "SELECT method, url FROM messages WHERE sent_month = '2012-08' AND "
                      "subject = 'Revised plans for Best Bits gathering - now in Baku' "
                      "AND sent_at < '2012-08-17'")
    assert found == [("parsed",
                      "https://lists.igcaucus.org/pipermail/bestbits/2012-August/000002.html")]
    assert rows(con, "SELECT count(*) FROM messages WHERE method = 'curated'") == [(90,)]


def test_opt_out_hides_a_person_from_per_person_views(tmp_path, salted):
    write_text_months(tmp_path)
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "opt_out.txt").write_text(
        "# asked on 2024-01-01\nbob at example.net\nAlice.Example@gmail.com\n")
    con = build_into(tmp_path)
    assert rows(con, "SELECT rule, evidence FROM person_merges") == [
        ("same name", "withheld (opted out)")]  # Alice's merge no longer quotes her name
    assert rows(con, "SELECT count(*) FROM messages WHERE author_name LIKE 'Al%'") == [(0,)]
    assert rows(con, "SELECT display_name, opted_out FROM people WHERE opted_out") == [
        (None, True), (None, True)]
    assert rows(con, "SELECT count(*) FROM messages WHERE author_name = 'Bob Example'") == [(0,)]
    people = query.run(con, "participation_people", {"list": LIST_NAME, "min_messages": "1"})
    assert "Bob Example" not in set(people["person"]) and len(people) == 4
    network = query.run(con, "participation_reply_network_people",
                        {"list": LIST_NAME, "min_messages": "1"})
    assert "Bob Example" not in set(network["source"]) | set(network["target"])
    # Totals still count the opted-out person's messages, anonymously.
    per_month = query.run(con, "participation_messages_per_month", {"list": LIST_NAME})
    assert per_month["messages"].sum() == 10


def test_min_messages_hides_occasional_posters(fixture_db):
    people = query.run(fixture_db, "participation_people", {"list": LIST_NAME})
    assert people.empty  # default 5: nobody in the fixture wrote that much
    two = query.run(fixture_db, "participation_people", {"list": LIST_NAME, "min_messages": "2"})
    assert len(two) == 4


def test_salt_file_is_created_once_and_pseudonyms_depend_on_it(tmp_path, monkeypatch):
    monkeypatch.delenv("BESTBITS_SALT", raising=False)
    write_text_months(tmp_path)
    con = build_into(tmp_path)
    first = sorted(r[0] for r in rows(con, "SELECT address_hash FROM messages "
                                           "WHERE address_hash IS NOT NULL"))
    con.close()
    salt = (tmp_path / ".salt").read_text()
    assert len(salt.strip()) == 64 and oct((tmp_path / ".salt").stat().st_mode)[-3:] == "600"
    con = build_into(tmp_path)
    again = sorted(r[0] for r in rows(con, "SELECT address_hash FROM messages "
                                           "WHERE address_hash IS NOT NULL"))
    con.close()
    assert again == first and (tmp_path / ".salt").read_text() == salt
    monkeypatch.setenv("BESTBITS_SALT", "another")
    con = build_into(tmp_path)
    other = sorted(r[0] for r in rows(con, "SELECT address_hash FROM messages "
                                           "WHERE address_hash IS NOT NULL"))
    assert set(other).isdisjoint(first)


def test_no_address_in_any_text_column_of_the_database(fixture_db):
    found = []
    columns = rows(fixture_db, "SELECT table_schema, table_name, column_name FROM "
                               "information_schema.columns WHERE data_type = 'VARCHAR'")
    assert ("main", "messages", "subject") in columns
    for schema, table, column in columns:
        for (value,) in rows(fixture_db,
                             f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}"'):
            found += [(table, column, hit) for hit in addresses_in(value)]
    assert found == []
    assert rows(fixture_db, "SELECT count(*) FROM messages WHERE method = 'parsed'") == [(10,)]


def test_no_address_in_the_exports(fixture_db, tmp_path):
    db_path = Path(fixture_db.execute("PRAGMA database_list").fetchall()[0][2])
    out = tmp_path / "export"
    written = export(db_path, out, "csv")
    assert any(p.name.startswith("messages") for p in written)
    for path in out.rglob("*"):
        if path.is_file():
            assert addresses_in(path.read_text(encoding="utf-8", errors="replace")) == [], path


def test_every_peer_mbox_is_accounted_for(tmp_path, salted):
    if not PERCEVAL.is_dir():
        pytest.skip(f"{PERCEVAL} is absent (real files from Perceval's test suite)")
    files = sorted(PERCEVAL.glob("*.mbox"))
    import_mbox(files, "peer", tmp_path)
    con = build_into(tmp_path)
    report = {source.rsplit("/", 1)[1]: (total, loaded, rejected) for source, total, loaded,
              rejected in rows(con, "SELECT source, total, loaded, rejected FROM ingest_report "
                                    "WHERE stage = 'list'")}
    # Stored under their content's hash and their safe name (never a local path: issue 16).
    stored = {path: stored_import_name(hashlib.sha256(path.read_bytes()).hexdigest(), path.name)
              for path in files}
    assert set(report) == set(stored.values())
    for path in files:
        total, loaded, rejected = report[stored[path]]
        assert total == len(mailbox.mbox(str(path))), path.name
        assert loaded + rejected == total
        reasons = rows(con, "SELECT reason FROM rejects WHERE source LIKE ?", f"%/{stored[path]}")
        assert len(reasons) == rejected and all(r[0] for r in reasons)
    loaded = rows(con, "SELECT count(*) FROM messages WHERE list = 'peer'")[0][0]
    assert loaded == sum(v[1] for v in report.values()) > 0


FORUM_NOISE = ["IGF", "igf", "pre-IGF", "MAG", "NET mundial", "Brazilian summit", "WSIS + 10",
               "wsis", "UNESCO", "ITU", "itu", "PP-14", "ITRs", "HRC", "Human rights council",
               "Special Rapporteur", "ICANN", "iana", "ſpecial", "KELVIN K", "the", "internet",
               "supporting", "present", " ", "\n", "-", "."]


def every_rule_run(fields, rules):
    """What the rules say when every pattern is run on every field (no literal pre-check)."""
    matches = []
    for rule in rules:
        found = []
        for field, text in fields.items():
            hit = next((h for h in (p.search(text) for p in rule.patterns) if h), None) \
                if text else None
            if hit:
                found.append(f"{field}: {hit.group(0)!r}")
        if found:
            matches.append(ForumMatch(rule.forum, "; ".join(found)))
    return matches


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FORUM_NOISE) | st.text(max_size=5), max_size=40),
       st.lists(st.sampled_from(FORUM_NOISE + ["NSA", "net neutrality", "IANA transition"]),
                max_size=8))
def test_the_rule_matchers_pre_check_changes_no_answer(parts, subject_parts):
    fields = {"body": " ".join(parts), "subject": " ".join(subject_parts), "title": None}
    for rules in (load_rules(), load_rules(config.THEME_RULES_FILE, table="theme")):
        assert RuleMatcher(rules).classify(fields) == every_rule_run(fields, rules)


def test_every_participation_query_runs_and_documents_itself(fixture_db):
    names = [n for n in query.available() if n.startswith("participation_")]
    assert len(names) >= 10
    for name in names:
        named = query.get(name)
        assert named.description and all(p.help for p in named.parameters), name
        frame = query.run(fixture_db, name, {"list": LIST_NAME})
        assert frame is not None, name
    for name in ("participation_people", "participation_reply_network_people"):
        assert "min_messages" in {p.name for p in query.get(name).parameters}


def test_participation_figures_on_the_fixture(fixture_db):
    def run(name, **params):
        return query.run(fixture_db, name, {"list": LIST_NAME, **params})

    per_month = run("participation_messages_per_month")
    assert dict(zip(per_month["month"], per_month["messages"], strict=True)) == {
        "2012-08": 8, "2012-09": 1, "2013-03": 1}
    cohorts = run("participation_cohorts")
    assert cohorts[["cohort", "newcomers", "year", "active"]].values.tolist() == [
        [2012, 6, 2012, 6], [2012, 6, 2013, 1]]
    busiest = run("participation_busiest_threads", top="1")
    assert busiest[["year", "subject", "messages"]].values.tolist() == [
        [2012, "[testlist] Plans for the IGF in Baku", 4],
        [2013, "[testlist] Statement for the WSIS+10 review", 1]]
    forums = run("participation_forum_mentions_per_month", forum="IGF")
    assert forums[["month", "messages", "in_body"]].values.tolist() == [
        ["2012-08", 3, 1], ["2012-09", 1, 0]]
    orgs = run("participation_organisations")
    assert orgs.iloc[0]["organisation"] == "example.com" and orgs.iloc[0]["messages"] == 4
    network = run("participation_reply_network_organisations")
    assert network["replies"].sum() == 3
    events = run("participation_event_activity", days="30")
    assert {"messages_before", "messages_after"} <= set(events.columns)

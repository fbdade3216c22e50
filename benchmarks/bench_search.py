"""Benchmark: full-text search engines side by side on the same list, and the search queries.

    python benchmarks/bench_search.py [--scales 1,24] [--repeat 20] [--engines duckdb,sqlite,tantivy]

The messages are SYNTHETIC (generated below, labelled `synthetic:` in their ids): the real
list held about 8,344 messages (config.LIST_ARCHIVE_SIZE), so scale 1 is 8,344 messages, 24 is
200,256 and 100 is 834,400. Each scale is written straight into a database built from the
curated record (the mbox reader is benchmarked apart, in bench_mbox.py), then indexed three
ways on the same rows, in the same process:

- duckdb:  DuckDB's fts extension, the engine before issue 20 (benchmarks/baselines/:
           the index PRAGMAs and the queries as they were);
- sqlite:  SQLite FTS5 (Python's sqlite3), contentless, porter stemmer, bm25() ranking;
- tantivy: the build's index (bestbits/load/search_index.py) and the named queries.

Printed per engine: index build seconds and size, then p50 and p95 latency (ms) of a search
over QUERIES on a warm connection. "ids" is the engine's top 200 alone; the named queries
return the rows (for DuckDB and tantivy, message_search, search and statement_list_context
as the dashboards run them). Goals (issue 20): p95 <= 20 ms at 1x and <= 50 ms at 100x.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from bestbits import config, query, search
from bestbits.database import connect, load_fts
from bestbits.load.build import build
from bestbits.load.loader import Loader
from bestbits.load.search_index import create_statement_search_index

# Words of the list's talk, with the themes' words among them at realistic rarity.
COMMON = ("the of and to in a is that for on we this be are with as it our not by have will "
          "draft statement civil society internet governance meeting list please comments "
          "agree text session members process group call next week participation").split()
RARE = ("surveillance encryption IANA stewardship neutrality NETmundial WSIS UNESCO ITU "
        "Snowden privacy cybersecurity trade TPP zero-rating development access rights "
        "expression censorship accountability transition Geneva Bali Istanbul").split()
QUERIES = ["surveillance", "IANA stewardship transition", "net neutrality", "human rights",
           "encryption privacy", "zanzibarisation"]
# Curated statements with a day or a month, for statement_list_context.
CONTEXT_STATEMENTS = 4
BASELINES = Path(__file__).with_name("baselines")


def synthetic_text(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(RARE) if rng.random() < 0.04 else rng.choice(COMMON)
                    for _ in range(words))


def fill(db: Path, messages: int, seed: int = 12) -> float:
    """Add MESSAGES synthetic messages (Aug 2012 - May 2019) to the built database DB and index
    it as the build does; returns the index's seconds."""
    rng = random.Random(seed)
    start, span = datetime(2012, 8, 1), (datetime(2019, 5, 31) - datetime(2012, 8, 1))
    con = duckdb.connect(str(db))
    batch = 50_000
    for first in range(0, messages, batch):
        numbers = range(first, min(messages, first + batch))
        sent = [start + timedelta(seconds=span.total_seconds() * n / messages) for n in numbers]
        frame = pd.DataFrame({  # one frame per batch: executemany inserts row by row
            "message_id": [f"synthetic:{n}" for n in numbers], "list": "bestbits",
            "sent_at": sent, "sent_month": [d.strftime("%Y-%m") for d in sent],
            "author_id": [f"synthetic-person-{n % 400}" for n in numbers],
            "author_name": [f"Synthetic Poster {n % 400}" for n in numbers],
            "subject": [f"Re: {synthetic_text(rng, 6)}" for _ in numbers],
            "thread_id": [f"synthetic-thread-{n // 5}" for n in numbers],
            "source_url": "synthetic:benchmark", "method": "parsed",
            "text": [synthetic_text(rng) for _ in numbers]})
        con.register("incoming", frame)
        con.execute("INSERT INTO messages BY NAME SELECT * FROM incoming")
        con.unregister("incoming")
    started = time.perf_counter()
    create_statement_search_index(Loader(con, db.parent))
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def folder_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def percentiles(timings: list[tuple[float, float]]) -> str:
    """Wall and CPU milliseconds (this process, every thread): p50 and p95 of each. On a
    shared machine the wall time waits for other work; the CPU time does not."""
    cells = []
    for label, values in (("wall", [t[0] for t in timings]), ("cpu", [t[1] for t in timings])):
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        cells.append(f"{label} p50 {statistics.median(ordered):7.1f} p95 {p95:7.1f}")
    return "   ".join(cells) + " ms"


def measure(run: Callable[[str], object], arguments: list, repeat: int
            ) -> list[tuple[float, float]]:
    timings = []
    for argument in arguments:
        run(argument)  # warm
        for _ in range(repeat):
            started, cpu = time.perf_counter(), time.process_time()
            run(argument)
            timings.append(((time.perf_counter() - started) * 1000,
                            (time.process_time() - cpu) * 1000))
    return timings


def used_mb(con) -> float:
    return con.execute("SELECT used_blocks * block_size / 1e6 FROM pragma_database_size()"
                       ).fetchone()[0]


def duckdb_fts(db: Path) -> tuple[float, float]:
    """The baseline's index in DB (seconds, and the MB of database blocks it takes)."""
    con = duckdb.connect(str(db))
    if not load_fts(con):
        con.close()
        raise RuntimeError("the fts extension does not load here (duckdb-extension-fts)")
    before = used_mb(con)
    started = time.perf_counter()
    con.execute((BASELINES / "duckdb_fts_index.sql").read_text())
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - started
    grown = used_mb(con) - before
    con.close()
    return seconds, grown


def sqlite_fts5(db: Path, target: Path) -> tuple[float, sqlite3.Connection]:
    """SQLite FTS5 over the same messages (subject and text); rowid = position in `ids`."""
    started = time.perf_counter()
    lite = sqlite3.connect(target)
    lite.execute("PRAGMA journal_mode = OFF")
    lite.execute("CREATE VIRTUAL TABLE messages USING fts5(words, content='', "
                 "tokenize='porter unicode61 remove_diacritics 2')")
    con = duckdb.connect(str(db), read_only=True)
    reader = con.execute("SELECT concat_ws(' ', subject, text) FROM messages "
                         "ORDER BY message_id").to_arrow_reader(20_000)
    position = 0
    for batch in reader:
        words = batch.column(0).to_pylist()
        lite.executemany("INSERT INTO messages (rowid, words) VALUES (?, ?)",
                         zip(range(position, position + len(words)), words, strict=True))
        position += len(words)
    con.close()
    lite.commit()
    lite.execute("INSERT INTO messages (messages) VALUES ('optimize')")
    lite.commit()
    return time.perf_counter() - started, lite


def baseline_run(cursor, name: str, params: dict):
    """A query as it ran before issue 20 (benchmarks/baselines/), with the same parameters."""
    baseline = {"message_search": "message_search_duckdb_fts.sql", "search": "search_duckdb_fts.sql",
                "statement_list_context": "statement_list_context_scan.sql"}[name]
    sql = (BASELINES / baseline).read_text()
    values = {p.name: p.default for p in query.get(name).parameters}
    values.update(params)
    values = {k: v for k, v in values.items() if f"${k}" in sql}
    return cursor.execute(sql, values).df()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,24",
                        help="multiples of the real list's 8,344 messages (default 1,24)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--engines", default="duckdb,sqlite,tantivy")
    args = parser.parse_args()
    engines = args.engines.split(",")
    print("SYNTHETIC messages; the machine may be shared and loaded: compare figures taken "
          "in one run.")
    for scale in [float(s) for s in args.scales.split(",")]:
        messages = int(config.LIST_ARCHIVE_SIZE * scale)
        print(f"\nscale {scale:g}: {messages:,} messages "
              f"({len(QUERIES)} searches x {args.repeat} runs each)", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            build(Path(tmp) / "data", db, progress=lambda _m: None)
            tantivy_seconds = fill(db, messages)
            base_mb = folder_mb(db)
            con = connect(db)
            statements = [r[0] for r in con.execute(
                "SELECT statement_id FROM statements WHERE date IS NOT NULL OR date_month IS NOT "
                "NULL ORDER BY statement_id LIMIT ?", [CONTEXT_STATEMENTS]).fetchall()]
            con.close()
            if "tantivy" in engines:
                token = connect(db).execute("SELECT token FROM search_index").fetchone()[0]
                print(f"  tantivy  index {tantivy_seconds:7.1f} s "
                      f"{folder_mb(search.index_folder(db, token)):8.1f} MB", flush=True)
                con = connect(db)
                searcher = search.open_for(con)
                index = searcher.indexes["messages"]

                def top_ids(q: str, index=index, searcher=searcher) -> list:
                    found = searcher.searchers["messages"].search(
                        search._text_query(searcher, "messages", search.parse_search(q)),
                        200, count=False)
                    return [searcher.searchers["messages"].doc(a).get_first("message_id")
                            for _s, a in found.hits]

                print(f"    {'ids':<24}{percentiles(measure(top_ids, QUERIES, args.repeat))}")
                for name, arguments, key in (("message_search", QUERIES, "q"),
                                             ("search", QUERIES, "q"),
                                             ("statement_list_context", statements,
                                              "statement_id")):
                    timings = measure(lambda a, n=name, k=key, c=con: query.run(c.cursor(), n, {k: a}),
                                      arguments, args.repeat)
                    print(f"    {name:<24}{percentiles(timings)}", flush=True)
                con.close()
            if "sqlite" in engines:
                seconds, lite = sqlite_fts5(db, Path(tmp) / "fts5.sqlite")
                print(f"  sqlite   index {seconds:7.1f} s "
                      f"{folder_mb(Path(tmp) / 'fts5.sqlite'):8.1f} MB", flush=True)

                def fts5_ids(q: str, lite=lite) -> list:
                    words = " OR ".join('"' + w.replace('"', "") + '"' for w in q.split())
                    return lite.execute("SELECT rowid FROM messages WHERE messages MATCH ? "
                                        "ORDER BY rank LIMIT 200", [words]).fetchall()

                print(f"    {'ids':<24}{percentiles(measure(fts5_ids, QUERIES, args.repeat))}")
                lite.close()
            if "duckdb" in engines:
                seconds, grown = duckdb_fts(db)
                print(f"  duckdb   index {seconds:7.1f} s {grown:8.1f} MB "
                      f"(database {base_mb:.1f} MB without it)", flush=True)
                con = connect(db)
                for name, arguments, key in (("message_search", QUERIES, "q"),
                                             ("search", QUERIES, "q"),
                                             ("statement_list_context", statements,
                                              "statement_id")):
                    timings = measure(lambda a, n=name, k=key, c=con: baseline_run(c.cursor(), n,
                                                                            {k: a}),
                                      arguments, args.repeat)
                    print(f"    {name:<24}{percentiles(timings)}", flush=True)
                con.close()
            shutil.rmtree(search.index_root(db), ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark: search latency over statements and list messages, at the real list's size and 100x.

    python benchmarks/bench_search.py [--scales 1,100] [--repeat 20]

The messages are SYNTHETIC (generated below, labelled `synthetic:` in their ids): the real
list held about 8,344 messages (config.LIST_ARCHIVE_SIZE), so scale 1 is 8,344 messages and
scale 100 is 834,400. Each is written straight into a database built from the curated record
(the mbox reader is benchmarked apart, in bench_mbox.py), then indexed by the build's own
search step. Printed: index time, and the median and worst latency of each search query on a
warm connection (BM25 and the literal fallback), beside the first version of message_search
(benchmarks/baselines/: the fts macro called per row), in the same run. The goal is under
50 ms at scale 1.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from bestbits import config, query
from bestbits.database import connect
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


def synthetic_text(rng: random.Random, words: int = 60) -> str:
    return " ".join(rng.choice(RARE) if rng.random() < 0.04 else rng.choice(COMMON)
                    for _ in range(words))


def fill(db: Path, messages: int, seed: int = 12) -> None:
    """Add MESSAGES synthetic messages (Aug 2012 - May 2019) to the built database DB."""
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
    con.execute("DELETE FROM search_capabilities")
    started = time.perf_counter()
    create_statement_search_index(Loader(con, db.parent))
    print(f"  index: {time.perf_counter() - started:.1f} s")
    con.close()


BASELINE = Path(__file__).with_name("baselines") / "message_search_bm25_macro.sql"


def run_named_or_baseline(cursor, name: str, params: dict):
    if name == "baseline: BM25 macro per row":
        bound = query.bind(query.get("message_search"), params)
        return cursor.execute(BASELINE.read_text(), bound).df()
    return query.run(cursor, name, params)


def latency(con, name: str, params: dict, repeat: int) -> tuple[float, float, int]:
    cursor = con.cursor()
    rows = len(run_named_or_baseline(cursor, name, params))  # warm-up, and the number of hits
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_named_or_baseline(cursor, name, params)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000, max(seconds) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,100",
                        help="multiples of the real list's 8,344 messages (default 1,100)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print("SYNTHETIC messages; the machine may be shared and loaded: compare figures taken "
          "in one run.")
    for scale in [float(s) for s in args.scales.split(",")]:
        messages = int(config.LIST_ARCHIVE_SIZE * scale)
        print(f"scale {scale:g}: {messages:,} messages")
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            build(Path(tmp) / "data", db, progress=lambda _m: None)
            fill(db, messages)
            con = connect(db)
            for name in ("baseline: BM25 macro per row", "message_search", "search",
                         "message_search_substring", "search_substring"):
                figures = [latency(con, name, {"q": q}, args.repeat) for q in QUERIES]
                median = statistics.median(f[0] for f in figures)
                worst = max(f[1] for f in figures)
                print(f"  {name:<30} median {median:8.1f} ms, worst {worst:8.1f} ms "
                      f"({len(QUERIES)} queries x {args.repeat})")
            con.close()


if __name__ == "__main__":
    main()

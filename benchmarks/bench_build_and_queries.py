"""Benchmark: build time, and the latency of every named query (printed figures, not a test).

    python benchmarks/bench_build_and_queries.py [--data-dir DIR] [--messages N] [--repeat N]

Builds into a temporary folder (or DIR, to measure a database with collected data), then runs
each query in queries/ N times on a warm connection and prints the median and worst latency.
--messages N adds a SYNTHETIC list archive of N messages (generated as in bench_mbox.py) so
that the participation queries are measured on a full-size database: the real list held about
8,344 messages.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from pathlib import Path

from bestbits import query
from bestbits.database import connect
from bestbits.load.build import build
from scrapers.collect.mailing_list import import_mbox


def add_synthetic_list(data: Path, messages: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_mbox",
                                                  Path(__file__).with_name("bench_mbox.py"))
    bench_mbox = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_mbox)
    mbox = data / "synthetic.mbox"
    # Spread over Aug 2012 - May 2019 like the real archive (about 81 months).
    bench_mbox.generate(mbox, messages, spacing_seconds=int(81 * 30.4 * 86400 / messages))
    import_mbox([mbox], "bestbits", data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--messages", type=int, default=0,
                        help="add a synthetic list archive of this many messages")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = args.data_dir or Path(tmp)
        db = Path(tmp) / "bench.duckdb"
        if args.messages:
            add_synthetic_list(data, args.messages)
        seconds = []
        for _ in range(args.builds):
            started = time.perf_counter()
            build(data, db, progress=lambda _m: None)
            seconds.append(time.perf_counter() - started)
        print(f"build ({data}): median {statistics.median(seconds):.2f} s, "
              f"best {min(seconds):.2f} s over {args.builds} builds; "
              f"database {db.stat().st_size / 1e6:.1f} MB")

        con = connect(db)
        print(f"\n{'query':<36} {'rows':>6} {'median ms':>10} {'worst ms':>9}")
        for name in query.available():
            timings, rows = [], 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                rows = len(query.run(con, name))
                timings.append((time.perf_counter() - started) * 1000)
            print(f"{name:<36} {rows:>6} {statistics.median(timings):>10.2f} "
                  f"{max(timings):>9.2f}")


if __name__ == "__main__":
    main()

"""Benchmark: build time, and the latency of every named query (printed figures, not a test).

    python benchmarks/bench_build_and_queries.py [--data-dir DIR] [--scales 1,24,100]
                                                 [--messages N] [--repeat N] [--builds N]

Builds into a temporary folder (or DIR, to measure a database with collected data), then runs
each query in queries/ N times on a warm connection and prints the median and worst latency.
--scales adds, for each scale, a SYNTHETIC list archive of scale x 8,344 messages (the size of
the real list; generated as in bench_mbox.py), builds it and prints every query beside the
others: 1x, 24x (about 200,000 messages) and 100x (834,400). --messages N measures one size.
Goals (issue 10, default parameters, median): under 20 ms at 1x, 50 ms at 24x, 200 ms at 100x.
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


REAL_LIST_MESSAGES = 8_344


def measure(data: Path, db: Path, builds: int, repeat: int) -> dict[str, tuple[int, float]]:
    """Build (BUILDS times, in full), then name -> (rows, median ms) of every named query."""
    seconds = []
    for _ in range(builds):
        started = time.perf_counter()
        kwargs = {"full": True} if "full" in build.__code__.co_varnames else {}
        build(data, db, progress=lambda _m: None, **kwargs)
        seconds.append(time.perf_counter() - started)
    print(f"build ({data}): median {statistics.median(seconds):.2f} s, "
          f"best {min(seconds):.2f} s over {builds} builds; "
          f"database {db.stat().st_size / 1e6:.1f} MB", flush=True)
    con = connect(db)
    results = {}
    for name in query.available():
        timings, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(query.run(con, name))
            timings.append((time.perf_counter() - started) * 1000)
        results[name] = (rows, statistics.median(timings))
        # As it goes: at 100x a full pass takes many minutes.
        print(f"  {name:<40}{rows:>10} rows {results[name][1]:>10.2f} ms", flush=True)
    con.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--builds", type=int, default=1)
    parser.add_argument("--scales", default="",
                        help="comma-separated multiples of the real list's 8,344 messages")
    parser.add_argument("--messages", type=int, default=0,
                        help="add a synthetic list archive of this many messages")
    args = parser.parse_args()

    sizes = ([int(float(s) * REAL_LIST_MESSAGES) for s in args.scales.split(",")]
             if args.scales else [args.messages])
    columns: dict[int, dict[str, tuple[int, float]]] = {}
    for messages in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = args.data_dir or Path(tmp)
            if messages:
                add_synthetic_list(data, messages)
            columns[messages] = measure(data, Path(tmp) / "bench.duckdb", args.builds,
                                        args.repeat)
    header = "".join(f"{f'{m:,} msgs':>22}" for m in sizes)
    print(f"\n{'query (rows, median ms)':<40}{header}")
    for name in columns[sizes[0]]:
        cells = "".join(f"{columns[m][name][0]:>10} {columns[m][name][1]:>10.2f} "
                        if name in columns[m] else f"{'-':>22}" for m in sizes)
        print(f"{name:<40}{cells}")


if __name__ == "__main__":
    main()

"""Run by tests/test_list_memory.py in a fresh process: generate a SYNTHETIC mbox of N messages
(benchmarks/bench_mbox.py's generator), ingest it with the list reader, print peak RSS in MB.

    python tests/support/ingest_memory.py N FOLDER
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def main() -> None:
    count, folder = int(sys.argv[1]), Path(sys.argv[2])
    os.environ.setdefault("BESTBITS_SALT", "memory-test")
    spec = importlib.util.spec_from_file_location("bench_mbox", REPO / "benchmarks" / "bench_mbox.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    mbox = folder / "raw" / "list" / "memory" / "imported" / "synthetic.mbox"
    mbox.parent.mkdir(parents=True, exist_ok=True)
    bench.generate(mbox, count)

    from bestbits.load.build import create_schema, open_build_database
    from bestbits.load.loader import Loader
    from bestbits.load.messages import read_messages

    con = open_build_database(folder / "memory.duckdb")
    create_schema(con)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read_messages(folder, Loader(con, folder, workers=1))
    loaded = con.execute("SELECT count(*) FROM messages").fetchone()[0]
    con.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"messages": count, "loaded": loaded, "baseline_mb": baseline,
                      "peak_mb": peak}))


if __name__ == "__main__":
    main()

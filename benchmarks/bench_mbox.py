"""Benchmark: messages per second from mbox to DuckDB, and peak memory, beside Perceval's mbox parser.

    .venv/bin/python benchmarks/bench_mbox.py [--messages 100000] [--mode real|synthetic]
        [--workers 1,0] [--dask 1,2] [--files 1] [--before DIR] [--repeat 2] [--keep DIR]

Two kinds of input:

- real (default): the REAL mbox and pipermail files of other projects' test suites in
  ../shared/peer-data/ (or $BESTBITS_PEER_DATA: Perceval, BigBang, HyperKitty, MLStats),
  replicated to N messages, each copy with new Message-IDs (replies keep pointing inside
  their copy) and dates spread over 2012-2019;
- synthetic: generated pipermail-style messages (obfuscated senders, RFC 2047 names,
  replies, scrubbed-attachment footers).

Then runs, each in its own process so that peak memory is its own:

- ours:     bestbits.load.messages.read_messages -> a fresh DuckDB file (parse, dedupe,
            threads, people, domains, body forum mentions, inserts), once per --workers
            value (0 = the machine's cores);
- before:   with --before DIR, the same from another checkout (e.g. a worktree of main),
            so that before and after are measured side by side in one run;
- dask:     with --dask 1,2, the list's parse as the Dask job of `bestbits parse-list`
            (bestbits.load.distributed_parse.parse_list) on a LocalCluster of that many
            worker processes, parse only (its Parquet written, no database), the cluster's
            start included. Its tasks are the list's inputs, one per file: give --files N
            (N mbox files, as a pipermail archive has a file a month) for it to spread;
- perceval: perceval.backends.core.mbox.MBox(...).fetch(), items only (no database): the
            comparison is generous to Perceval. Install it in the benchmark environment
            only (`pip install '.[bench]'`, or `pip install --no-deps perceval
            grimoirelab-toolkit`); it is skipped with a note when absent.

Prints seconds, messages/s, peak RSS and the ratio. The goal (issue 20) is at least 1.5x
Perceval's parse-only throughput by CPU time on real messages, and at most 400 MB peak at
200,000 messages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A child measuring another checkout (--before) imports that checkout's code.
sys.path.insert(0, os.environ.get("BESTBITS_BENCH_CODE", str(REPO)))

WORDS = ("internet governance civil society statement draft meeting agenda principles human "
         "rights online freedom expression privacy surveillance multistakeholder process "
         "coordination network members platform discussion proposal comments deadline sign "
         "endorse letter review outcome document session workshop remote participation").split()
FORUM_WORDS = ("IGF", "NETmundial", "WSIS+10", "UNESCO", "ITU", "Human Rights Council", "ICANN")


def generate(path: Path, count: int, seed: int = 6, spacing_seconds: int = 2300) -> None:
    """Write `count` synthetic pipermail-style messages to `path`, one every ~spacing_seconds."""
    rng = random.Random(seed)
    senders = []
    for i in range(2000):
        first, last = f"Person{i % 700}", f"Example{i // 7}"
        name = (f"=?utf-8?q?{first}_{last}=C3=A9?=" if i % 10 == 0 else f"{first} {last}")
        senders.append((f"p{i}", f"org{i % 300}.example.org", name))
    subjects = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize()
                for _ in range(count // 8)]
    start = datetime(2012, 8, 1, tzinfo=UTC)
    ids: list[str] = []
    with path.open("wb") as out:
        for n in range(count):
            local, domain, name = rng.choice(senders)
            moment = start + timedelta(seconds=n * spacing_seconds + rng.randint(0, 600))
            subject = rng.choice(subjects)
            headers = [f"From: {local} at {domain} ({name})",
                       f"Date: {format_datetime(moment)}"]
            if ids and rng.random() < 0.6:
                parent = rng.choice(ids[-200:])
                headers += [f"Subject: Re: [bestbits] {subject}", f"In-Reply-To: <{parent}>",
                            f"References: <{parent}>"]
            else:
                headers.append(f"Subject: [bestbits] {subject}")
            mid = f"{n}.{rng.getrandbits(40):x}@{domain}"
            ids.append(mid)
            headers.append(f"Message-ID: <{mid}>")
            words = [rng.choice(WORDS) for _ in range(rng.randint(40, 200))]
            if rng.random() < 0.2:
                words.insert(rng.randrange(len(words)), rng.choice(FORUM_WORDS))
            body = " ".join(words)
            lines = [body[i:i + 72] for i in range(0, len(body), 72)]
            if rng.random() < 0.1:
                lines += ["-------------- next part --------------",
                          "An HTML attachment was scrubbed...",
                          f"URL: <http://lists.example.org/attachments/{n}.html>"]
            stamp = moment.strftime("%a %b %d %H:%M:%S %Y")
            text = (f"From {local} at {domain}  {stamp}\n" + "\n".join(headers) + "\n\n"
                    + "\n".join(lines) + "\n\n")
            out.write(text.encode("utf-8"))


_REAL_ID_HEADER = re.compile(rb"^(message-id|in-reply-to|references):[^\n]*(?:\n[ \t][^\n]*)*",
                             re.IGNORECASE | re.MULTILINE)
_REAL_DATE_HEADER = re.compile(rb"^date:[^\n]*(?:\n[ \t][^\n]*)*", re.IGNORECASE | re.MULTILINE)
_ANGLE_ID = re.compile(rb"<([^<>\s]+)>")


def peer_messages() -> list[bytes]:
    """Every raw message of the peer mail files (real files from other projects' tests)."""
    from scrapers.parse.mbox import split_mbox

    configured = os.environ.get("BESTBITS_PEER_DATA")
    roots = [Path(configured)] if configured else []
    roots += [REPO.parent / "shared" / "peer-data", REPO.parents[1] / "shared" / "peer-data"]
    root = next((r for r in roots if r.is_dir()), None)
    if root is None:
        raise SystemExit("no peer data: set $BESTBITS_PEER_DATA or use --mode synthetic")
    messages = []
    for folder in ("perceval", "bigbang", "hyperkitty", "mlstats"):
        for path in sorted((root / folder).glob("*")):
            if path.suffix in (".mbox", ".txt") and path.name != "README.md":
                messages += [raw for _offset, raw in split_mbox(path.read_bytes())]
    return messages


def generate_real(path: Path, count: int, seed: int = 10) -> None:
    """Write `count` REAL messages: the peer messages again and again, each copy with its own
    Message-IDs (In-Reply-To and References renamed the same way) and dates over 2012-2019."""
    originals = peer_messages()
    rng = random.Random(seed)
    start, span = datetime(2012, 1, 1, tzinfo=UTC), 8 * 365 * 86400
    with path.open("wb") as out:
        for n in range(count):
            raw = originals[n % len(originals)]
            copy = n // len(originals)
            moment = start + timedelta(seconds=int(n * span / count) + rng.randint(0, 600))
            head, sep, body = raw.partition(b"\n\n")

            def rename(match: re.Match, copy: int = copy) -> bytes:
                return _ANGLE_ID.sub(lambda m: b"<c%d.%s>" % (copy, m.group(1)), match.group(0))

            head = _REAL_ID_HEADER.sub(rename, head)
            head = _REAL_DATE_HEADER.sub(b"Date: " + format_datetime(moment).encode(), head)
            from_line, _, rest = head.partition(b"\n")
            sender = from_line.split()[1] if len(from_line.split()) > 1 else b"sender"
            stamp = moment.strftime("%a %b %d %H:%M:%S %Y").encode()
            out.write(b"From " + sender + b"  " + stamp + b"\n" + rest + sep + body.rstrip(b"\n")
                      + b"\n\n")


def peak_rss_mb() -> float:
    """This process's peak, plus the largest worker process's (ru_maxrss is KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) and its ended worker processes:
    steadier than wall time on a machine shared with other work."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime


def run_ours(data_dir: Path, workers: int) -> dict:
    import duckdb

    from bestbits.load import build
    from bestbits.load.loader import Loader
    from bestbits.load.messages import read_messages

    baseline = peak_rss_mb()
    db = data_dir / "bench.duckdb"
    db.unlink(missing_ok=True)
    started, cpu = time.perf_counter(), cpu_seconds()
    # As `bestbits build` opens it; a checkout from before open_build_database had none.
    opener = getattr(build, "open_build_database", None)
    con = opener(db) if opener else duckdb.connect(str(db))
    build.create_schema(con)
    load = Loader(con, data_dir)
    if hasattr(load, "workers"):  # the code before issue 10 has no worker processes
        load.workers = workers or None
    read_messages(data_dir, load)
    con.execute("CHECKPOINT")
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    loaded = con.execute("SELECT count(*) FROM messages").fetchone()[0]
    total = con.execute("SELECT sum(total) FROM ingest_report").fetchone()[0]
    con.close()
    return {"seconds": seconds, "cpu": cpu, "messages": total, "loaded": loaded,
            "baseline_mb": baseline, "peak_mb": peak_rss_mb()}


def run_dask(data_dir: Path, workers: int) -> dict:
    from bestbits.load.distributed_parse import parse_list

    baseline = peak_rss_mb()
    out = data_dir.parent / f"{data_dir.name}-parsed"
    started, cpu = time.perf_counter(), cpu_seconds()
    job = parse_list(data_dir, out, workers=workers, progress=lambda _m: None)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": seconds, "cpu": cpu, "messages": job.messages + job.rejects,
            "loaded": job.messages, "baseline_mb": baseline, "peak_mb": peak_rss_mb()}


def split_into_files(mbox: Path, files: int) -> None:
    """Cut MBOX into FILES mbox files of consecutive messages (at its "From " lines), as an
    archive of a file a month would be; the one file is replaced by the pieces."""
    from scrapers.parse.mbox import split_mbox

    messages = [raw for _offset, raw in split_mbox(mbox.read_bytes())]
    size = -(-len(messages) // files)
    for n in range(files):
        piece = messages[n * size:(n + 1) * size]
        if piece:
            mbox.with_name(f"{mbox.stem}-{n + 1:03d}.mbox").write_bytes(
                b"".join(raw if raw.endswith(b"\n") else raw + b"\n" for raw in piece))
    mbox.unlink()


def run_perceval(mbox_dir: Path) -> dict:
    import logging

    from perceval.backends.core.mbox import MBox

    logging.disable(logging.WARNING)
    baseline = peak_rss_mb()
    started, cpu = time.perf_counter(), cpu_seconds()
    count = sum(1 for _ in MBox("bench", str(mbox_dir)).fetch())
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"seconds": seconds, "cpu": cpu, "messages": count, "loaded": count,
            "baseline_mb": baseline, "peak_mb": peak_rss_mb()}


def child(kind: str, folder: Path, code: Path = REPO, workers: int = 1) -> dict:
    """Run one measurement in a fresh process, with the code of the checkout CODE."""
    env = dict(os.environ, BESTBITS_BENCH_CODE=str(code))
    result = subprocess.run([sys.executable, __file__, "--child", kind, str(folder),
                             "--workers", str(workers)],
                            capture_output=True, text=True, cwd=code, env=env)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def _best(runs: list[dict]) -> dict:
    good = [r for r in runs if "error" not in r]
    if not good:
        return runs[0]
    best = dict(min(good, key=lambda r: r["seconds"]))
    best["cpu"] = min(r["cpu"] for r in good)
    best["peak_mb"] = max(r["peak_mb"] for r in good)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--mode", choices=["real", "synthetic"], default="real",
                        help="replicate the real peer files (default) or generate messages")
    parser.add_argument("--workers", default="1,0",
                        help="comma-separated worker counts for ours; 0 = the machine's cores")
    parser.add_argument("--dask", default="",
                        help="comma-separated worker counts for the Dask parse job (e.g. 1,2)")
    parser.add_argument("--files", type=int, default=1,
                        help="cut the messages into N mbox files (the Dask job's tasks)")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also run the reader of the checkout DIR (e.g. a worktree of main)")
    parser.add_argument("--no-perceval", action="store_true", help="leave Perceval out")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: temp)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of each, alternating; the best is reported (default 2)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child[0], Path(args.child[1])
        workers = int(args.workers.split(",")[0])
        run = {"ours": run_ours, "dask": run_dask}.get(kind)
        print(json.dumps(run(folder, workers) if run else run_perceval(folder)))
        return 0

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-mbox-"))
    try:
        mbox_dir = work / "raw" / "list" / "bench" / "imported"
        mbox_dir.mkdir(parents=True, exist_ok=True)
        mbox = mbox_dir / "bench.mbox"
        if not any(mbox_dir.glob("*.mbox")):
            started = time.perf_counter()
            (generate_real if args.mode == "real" else generate)(mbox, args.messages)
            print(f"generated {args.messages:,} {args.mode} messages ({mbox.stat().st_size / 1e6:.1f} MB) "
                  f"in {time.perf_counter() - started:.1f} s")
            if args.files > 1:
                split_into_files(mbox, args.files)
                print(f"cut into {args.files} mbox files")
        os.environ.setdefault("BESTBITS_SALT", "benchmark")
        # The machine is shared: run them in turn `--repeat` times and keep each one's best
        # run (least wall time, least CPU time), the usual cure for noisy neighbours.
        plan: list[tuple[str, str, Path, Path, int]] = []
        if args.before:
            plan.append(("before (mbox -> DuckDB)", "ours", work, args.before.resolve(), 1))
        for workers in (int(w) for w in args.workers.split(",")):
            label = f"ours, {workers or os.cpu_count()} worker(s)"
            plan.append((label, "ours", work, REPO, workers))
        for workers in (int(w) for w in args.dask.split(",") if w):
            plan.append((f"dask parse, {workers} worker(s)", "dask", work, REPO, workers))
        if not args.no_perceval:
            plan.append(("perceval (parse only)", "perceval", mbox_dir, REPO, 1))
        runs: dict[str, list[dict]] = {label: [] for label, *_rest in plan}
        for _ in range(args.repeat):
            for label, kind, folder, code, workers in plan:
                runs[label].append(child(kind, folder, code, workers))
        results = {label: _best(found) for label, found in runs.items()}
        print(f"best of {args.repeat} run(s) each")
        print(f"{'':<24}{'messages':>10}{'wall s':>9}{'msg/s':>9}{'cpu s':>9}"
              f"{'msg/cpu-s':>11}{'peak MB':>9}{'base MB':>9}")
        for label, r in results.items():
            if "error" in r:
                print(f"{label:<24}  not run: {r['error']}")
                continue
            print(f"{label:<24}{r['messages']:>10,}{r['seconds']:>9.1f}"
                  f"{r['messages'] / r['seconds']:>9,.0f}{r['cpu']:>9.1f}"
                  f"{r['messages'] / r['cpu']:>11,.0f}{r['peak_mb']:>9.0f}"
                  f"{r['baseline_mb']:>9.0f}")
        theirs = results.get("perceval (parse only)", {"error": "left out"})
        for label, ours in results.items():
            if label.startswith("perceval") or "error" in ours or "error" in theirs:
                continue
            wall = (ours["messages"] / ours["seconds"]) / (theirs["messages"] / theirs["seconds"])
            cpu = (ours["messages"] / ours["cpu"]) / (theirs["messages"] / theirs["cpu"])
            print(f"{label} / perceval: {wall:.2f}x by wall time, {cpu:.2f}x by CPU time "
                  "(issue 20's goal: >= 1.5x by CPU time)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

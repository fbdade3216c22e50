"""The list's parse as a Dask job: each raw list input (an mbox file, a month of HTML pages) is
a task that runs the build's own parser (`list_parse.parse_batch`, unchanged) in a Dask worker and
writes its parsed rows as Parquet; `bestbits build --from-parsed DIR` then loads those rows in
place of its own parse and resolves duplicates, threads, people and domains in SQL, as always.

Why this cut: parsing is a pure function of one input (and the salt), so it spreads over any
number of machines; the resolution needs every parsed row at once (a duplicate or a reply may
sit in another input), and it is a few joins that DuckDB runs in minutes on one machine. The
site's WARCs are still read by the build itself (the site readers write into the tables the
curated record fills, and reconcile with it as they go).

    job = parse_list(data_dir, out)                     # a LocalCluster on this machine
    job = parse_list(data_dir, out, scheduler="tcp://scheduler:8786")   # a running cluster

The folder it writes:

    parse.json                   the parser fingerprint (code, forum rules, salt, opt-out)
    list_inputs.parquet          one row per input: reading order, content hash, address ...
    list_parsed/<n>.parquet      the parsed rows of input n (queries/schema/50_scale.sql)
    list_parsed_mentions/<n>.parquet, list_parse_rejects/<n>.parquet

Workers must see DATA_DIR and the output folder at the same paths (a shared file system on a
cluster), and have the same salt ($BESTBITS_SALT or DATA_DIR/.salt).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bestbits import config
from bestbits.load import list_parse
from bestbits.load.list_inputs import ListInput, list_inputs, parser_fingerprint
from bestbits.load.loader import InputError
from bestbits.privacy.pseudonyms import salt_for
from bestbits.query import load_sql

TABLES = ("list_parsed", "list_parsed_mentions", "list_parse_rejects")
FORMAT = 1


@dataclass
class ParseJob:
    out: Path
    inputs: int
    messages: int
    rejects: int
    seconds: float
    workers: int


def parsed_schemas() -> dict[str, pa.Schema]:
    """The Arrow schemas of the parsed tables, from the build's own schema."""
    import duckdb

    from bestbits.load.build import create_schema

    con = duckdb.connect()
    try:
        create_schema(con)
        return {table: con.execute(f'SELECT * FROM "{table}" LIMIT 0').fetch_arrow_table().schema
                for table in TABLES}  # table names from this module
    finally:
        con.close()


def parse_input(item: ListInput, number: int, salt: bytes, out: Path) -> dict:
    """One task: parse the input ITEM (the NUMBER-th in reading order) with the build's parser
    and write its rows into OUT/<table>/<NUMBER>.parquet. Returns the input's list_inputs row
    and counts."""
    schemas = parsed_schemas()
    list_parse.start_worker(salt)
    content_hash, size = item.content_hash()
    damaged: list = []
    columns = {table: {name: [] for name in schemas[table].names} for table in TABLES}
    for batch in list_parse.batches_of(item, damaged):
        for table, rows in zip(TABLES, list_parse.parse_batch(batch), strict=True):
            for name, values in rows.items():
                columns[table][name].extend(values)
    for source, position, locator, reason in damaged:
        for name, value in (("source", source), ("position", position), ("locator", locator),
                            ("reason", reason)):
            columns["list_parse_rejects"][name].append(value)
    for table in TABLES:
        folder = out / table
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{number:06d}.parquet.partial"
        pq.write_table(pa.table(columns[table], schema=schemas[table]), partial)
        partial.replace(folder / f"{number:06d}.parquet")
    return {"source": item.source, "list": item.list_name, "input_no": number,
            "content_hash": content_hash, "source_url": item.source_url,
            "month_hint": item.month_hint, "kind": item.kind, "bytes": size,
            "messages": len(columns["list_parsed"]["position"]),
            "rejects": len(columns["list_parse_rejects"]["position"])}


def parse_list(data_dir: Path, out: Path, scheduler: str | None = None,
               workers: int | None = None, progress=print) -> ParseJob:
    """Parse every list input under DATA_DIR/raw/list/ on a Dask cluster (SCHEDULER's address,
    else a LocalCluster of WORKERS processes) into OUT, replaced only when complete."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError(["the Dask job needs dask.distributed: pip install "
                          "'bestbits-archive[distributed]'"]) from exc

    started = time.perf_counter()
    inputs = list_inputs(data_dir)
    if not inputs:
        raise InputError([f"{config.raw_dir(data_dir) / 'list'}: no list input to parse "
                          "(collect one first: bestbits collect list | mbox)"])
    salt = salt_for(data_dir)
    fingerprint = parser_fingerprint(salt, data_dir)
    out = Path(out)
    work = out.with_name(f".{out.name}.partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1,
                                   processes=True, dashboard_address=None,
                                   host="127.0.0.1")
            client = Client(cluster)
        with client:
            count = len(client.scheduler_info()["workers"])
            progress(f"Parsing {len(inputs)} list inputs on {count} Dask workers ...")
            futures = [client.submit(parse_input, item, number, salt, work, pure=False)
                       for number, item in enumerate(inputs, start=1)]
            rows = client.gather(futures)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if cluster is not None:
            cluster.close()
    pq.write_table(pa.Table.from_pylist(rows), work / "list_inputs.parquet")
    (work / "parse.json").write_text(json.dumps(
        {"format": FORMAT, "fingerprint": fingerprint, "inputs": len(rows)}, indent=1) + "\n")
    if out.exists():
        shutil.rmtree(out)
    work.rename(out)
    return ParseJob(out, len(rows), sum(r["messages"] for r in rows),
                    sum(r["rejects"] for r in rows), time.perf_counter() - started, count)


def load_parsed(load, folder: Path, fingerprint: str) -> None:
    """Fill list_inputs, build_inputs and the parsed tables from FOLDER (what parse_list wrote),
    so that the list reader resolves them as if it had parsed them itself."""
    described = folder / "parse.json"
    try:
        job = json.loads(described.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError([f"{described}: not a parsed list folder ({exc}); write one with "
                          "bestbits parse-list --out DIR"]) from exc
    if job.get("fingerprint") != fingerprint:
        raise InputError([f"{folder}: parsed with another parser, forum rules, salt or opt-out "
                          "file than this build's; parse again (bestbits parse-list --out DIR)"])
    con = load.con
    inputs = pq.read_table(folder / "list_inputs.parquet").to_pylist()
    for row in inputs:
        con.execute(load_sql("load/list_add_input.sql"),
                    [row["source"], row["list"], row["input_no"], row["content_hash"],
                     fingerprint, row["source_url"], row["month_hint"]])
        load.record_input(row["source"], row["kind"], row["bytes"], row["content_hash"], False)
    for table in TABLES:
        for path in sorted((folder / table).glob("*.parquet")):
            con.register("incoming_parquet", con.read_parquet(str(path)))
            try:
                # The table name is one of TABLES, never a user's.
                con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM incoming_parquet')
            finally:
                con.unregister("incoming_parquet")

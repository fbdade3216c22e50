"""Build reader for the mailing list: DATA_DIR/raw/list/** -> messages, people, domains.

It streams (issue 10): each input is split in the main process and parsed, a batch at a
time, in worker processes (`Loader.workers`, default the machine's cores); each batch goes
to DuckDB as one Arrow table (`list_parsed*`, queries/schema/50_scale.sql), and nothing that
grows with the archive is kept in Python. Duplicates, threads, people and domains are then
resolved in SQL (queries/load/list_*.sql). Only the merge of people runs in Python, over one
row per distinct (sender, name), not per message. A build with the previous database
attached (`Loader.previous`) reuses the parsed rows of every input whose content hash and
parser fingerprint are unchanged, and parses only the others.

The files it reads (written by `bestbits collect list` and `bestbits collect mbox`) are
listed by the raw store, scrapers/raw_store/list_store.py, which describes their layout.

Its jobs, one module each: the inputs and their fingerprint (list_inputs.py), the parse in
worker processes (list_parse.py), the resolution and the opt-out (list_resolve.py), and
DuckDB's memory (duckdb_memory.py); this module reads the inputs through them, in order.

Every message of every file is loaded or rejected with a reason (a duplicate Message-ID
is a reject that names the first copy). Addresses never leave the parse (list_parse.py): each is
replaced by a salted hash (`address_hash`) and its registrable domain. Every text passes the
privacy gate as it is parsed (bestbits/privacy/addresses.py), a message's stored text is cut
at TEXT_CAP_BYTES, and a message whose parse takes longer than PARSE_SECONDS is rejected.

Opt-out (bestbits/privacy/opt_out.py) is applied after people are merged, on every build: the
person's name, words and subject lines are withheld everywhere, and no working table keeps
them. The parsed rows of an input that holds her messages are not kept for the next build,
which reads that input again, so that the next merge sees her names as a full build does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from bestbits import config
from bestbits.load.duckdb_memory import (
    duckdb_settings,
    execute_with_more_memory,
    release_cached_blocks,
)
from bestbits.load.list_inputs import ListInput, list_inputs, parser_fingerprint
from bestbits.load.list_parse import ParseBatch, batches_of, parsed_batches
from bestbits.load.list_resolve import (
    STAGE,
    OptedOut,
    append_rows,
    merge_curated,
    resolve,
    withhold_curated,
    withhold_everywhere,
)
from bestbits.load.loader import Loader
from bestbits.privacy.opt_out import read_opt_out
from bestbits.privacy.pseudonyms import salt_for
from bestbits.query import load_sql

__all__ = ["STAGE", "read_messages", "precompute_participation"]


def read_messages(data_dir: Path, load: Loader) -> None:
    """Load every list under DATA_DIR/raw/list/ (see the module docstring for the layout)."""
    if load.parsed is not None:  # parsed by a Dask job (bestbits/load/distributed_parse.py)
        from bestbits.load.distributed_parse import load_parsed

        salt = salt_for(data_dir)
        load_parsed(load, load.parsed, parser_fingerprint(salt, data_dir))
        _resolve_and_withhold(load, data_dir, salt)
        return
    inputs = list_inputs(data_dir)
    if not inputs:
        # No list: the opt-out still covers the curated sample and every other table.
        opted = OptedOut(entries=read_opt_out(data_dir, b""))
        withhold_curated(load, opted, b"")
        withhold_everywhere(load, opted)
        return
    salt = salt_for(data_dir)
    fingerprint = parser_fingerprint(salt, data_dir)
    previous = _previous_inputs(load, fingerprint)
    workers = load.workers or os.cpu_count() or 1
    reused, fresh = [], []
    for number, item in enumerate(inputs, start=1):
        content_hash, size = item.content_hash()
        load.con.execute(load_sql("load/list_add_input.sql"),
                         [item.source, item.list_name, number, content_hash, fingerprint,
                          item.source_url, item.month_hint])
        again = previous.get(item.source) == content_hash
        load.record_input(item.source, item.kind, size, content_hash, again)
        (reused if again else fresh).append(item)
    if reused:
        load.con.execute(load_sql("load/list_reuse_previous.sql"))
    # Parsing streams: it needs little of DuckDB's memory, and what DuckDB is allowed it fills
    # with cached blocks, which would make the ingest's memory grow with the archive. The
    # resolution's joins and windows need more (64 MB ran out at 834,400 messages): they get
    # the build's limit, and drop their cached blocks after each write too.
    load.con.execute("SET memory_limit = ?", [config.list_memory_limit()])
    try:
        _parse_fresh(load, fresh, salt, workers)
    finally:
        # Set from the configured value: DuckDB shows a limit rounded, and setting back what it
        # shows would shrink it a little each time.
        load.con.execute("SET memory_limit = ?", [config.build_memory_limit()])
    _resolve_and_withhold(load, data_dir, salt)


def _resolve_and_withhold(load: Loader, data_dir: Path, salt: bytes) -> None:
    """From parsed rows (this machine's parse or a Dask job's) to the final tables, with the
    opt-out applied to every one of them: one path, whoever parsed."""
    opted = resolve(load, read_opt_out(data_dir, salt))
    merge_curated(load, salt)
    withhold_curated(load, opted, salt)
    # What the next build may reuse holds nothing the opt-out withholds (see the docstring).
    load.con.execute(load_sql("load/list_keep_for_next_build.sql"))
    withhold_everywhere(load, opted)
    load.con.execute(load_sql("load/list_cleanup.sql"))
    release_cached_blocks(load.con)


def _previous_inputs(load: Loader, fingerprint: str) -> dict[str, str]:
    """source -> content hash of the inputs the previous build parsed with the same fingerprint."""
    if not load.previous:
        return {}
    try:
        rows = load.con.execute(load_sql("load/list_previous_inputs.sql"), [fingerprint]).fetchall()
    except Exception:  # an older database without these tables: parse everything
        return {}
    return dict(rows)


def _parse_fresh(load: Loader, fresh: list[ListInput], salt: bytes, workers: int) -> None:
    from tqdm import tqdm

    rejects: list = []

    def batches() -> Iterator[ParseBatch]:
        for item in fresh:
            yield from batches_of(item, rejects)

    # One DuckDB thread and a checkpoint after each batch: with more threads each appends to
    # row groups of its own, and rows wait in memory until a checkpoint writes them; the two
    # together took the growth from 5,000 to 50,000 messages from +130 MB to +40 MB (issue 10).
    with (duckdb_settings(load.con, threads=1),
          tqdm(desc="  parsing list messages", unit=" msg", disable=None, leave=False) as bar):
        for rows, mentions, parse_rejects in parsed_batches(batches(), salt, workers):
            _append(load, "list_parsed", rows)
            _append(load, "list_parsed_mentions", mentions)
            _append(load, "list_parse_rejects", parse_rejects)
            load.con.execute("CHECKPOINT")
            release_cached_blocks(load.con, config.list_memory_limit())
            bar.update(len(rows["position"]) + len(parse_rejects["position"]))
    if rejects:  # damaged files: one reject each, for the part that could not be read
        _append(load, "list_parse_rejects", {
            name: [r[i] for r in rejects]
            for i, name in enumerate(("source", "position", "locator", "reason"))})


def _append(load: Loader, table: str, columns: dict[str, list]) -> None:
    """A parse batch's rows into TABLE (nothing when the batch has none)."""
    if next(iter(columns.values()), []):
        append_rows(load.con, table, columns)


def precompute_participation(load: Loader) -> None:
    """The participation tables the dashboards aggregate (queries/load/list_summaries.sql).
    A post step: subject mentions of forums are added by the forum rules step before it.

    Each statement is one INSERT, run on its own: its DISTINCT counts over grouping sets ran
    out of the build's 256 MB at 834,400 messages, and a failed INSERT leaves nothing behind,
    so it is run again with more memory (execute_with_more_memory)."""
    for statement in load_sql("load/list_summaries.sql").split(";\n"):
        if statement.strip() and not all(line.lstrip().startswith("--") or not line.strip()
                                         for line in statement.splitlines()):
            execute_with_more_memory(load.con, statement)

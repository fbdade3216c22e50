"""The `bestbits` command: collect, build, query, serve, export, publish.

Every command ends in one of three ways: done (status 0, also when whoever read its output
stopped reading, as `| head` does); a problem the user can fix, said in one line (status 2:
bad values, a file that is not a database, a folder it may not write, a full or read-only
disk); or stopped by SIGTERM or SIGINT (status 128 + the signal), its temporary files removed
and the previous output left as it was. A traceback is for our own bugs.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from bestbits import config
from bestbits.cli_arguments import add_data_dir, add_db, add_setting
from bestbits.settings import SettingError


class Stopped(BaseException):
    """SIGTERM or SIGINT arrived: the command unwinds, each step removing what it had begun.
    (A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.)"""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame) -> None:
    from bestbits.load.worker_processes import stop_workers

    # Ignore a second signal while the first one's clean-up runs.
    for other in (signal.SIGTERM, signal.SIGINT):
        signal.signal(other, signal.SIG_IGN)
    stop_workers()  # the build's parse workers, before the pool unwinding would wait for them
    raise Stopped(signum)


def _say(message: str) -> None:
    """Progress on stderr; a reader that went away does not stop the work."""
    try:
        print(message, file=sys.stderr)
    except (BrokenPipeError, ValueError):
        pass


def _refused(exc: BaseException, command: str, kept: str, where: Path | None = None) -> int:
    """Status 2 and one line when EXC is the system refusing a write; else EXC again."""
    from bestbits.write_errors import describe

    line = describe(exc, command, kept, where)
    if line is None:
        raise exc
    print(line, file=sys.stderr)
    return 2


def _db_from(args: argparse.Namespace) -> Path:
    return config.db_path(args.db, config.data_dir(getattr(args, "data_dir", None)))


def cmd_build(args: argparse.Namespace) -> int:
    import duckdb

    from bestbits.load.build import InputError, build
    from bestbits.output_folders import OutputRefused

    data = config.data_dir(args.data_dir)
    db = config.db_path(args.db, data)
    if args.workers is not None and args.workers < 1:
        print(f"--workers {args.workers}: give 1 or more", file=sys.stderr)
        return 2
    try:
        summary = build(data, db, progress=_say, full=args.full, workers=args.workers,
                        from_parquet=Path(args.from_parquet) if args.from_parquet else None,
                        from_parsed=Path(args.from_parsed) if args.from_parsed else None)
    except InputError as exc:
        print("The build stopped: the input has problems. Nothing was replaced.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except OutputRefused as exc:
        print(f"bestbits build: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:
        return _refused(exc, "build", f"the database {db} is as it was", db.absolute().parent)
    print(summary.text())
    return 0


def cmd_parse_list(args: argparse.Namespace) -> int:
    from bestbits.load.distributed_parse import InputError, parse_list

    try:
        job = parse_list(config.data_dir(args.data_dir), Path(args.out), args.scheduler,
                         args.workers, progress=lambda m: print(m, file=sys.stderr))
    except InputError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 2
    print(f"Parsed {job.inputs} inputs ({job.messages} messages, {job.rejects} rejected) on "
          f"{job.workers} workers in {job.seconds:.1f} s into {job.out}; then: bestbits build "
          f"--from-parsed {job.out}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from bestbits import query
    from bestbits.database import DatabaseMissing, connect

    if args.list or not args.name:
        for q in query.available().values():
            print(f"{q.name:<28} {q.description}")
            for p in q.parameters:
                default = "" if p.default is None else f" (default {p.default})"
                kind = "" if p.type == "text" else f" [{query.TYPES[p.type]}]"
                print(f"{'':<30}--param {p.name}=...{default}{kind}  {p.help}")
        return 0
    params = {}
    for item in args.param or []:
        key, sep, value = item.partition("=")
        if not sep:
            print(f"--param takes key=value, not {item!r}", file=sys.stderr)
            return 2
        params[key] = value
    try:
        con = connect(_db_from(args))
        frame = query.run(con, args.name, params, strict=True)
    except (DatabaseMissing, query.QueryError) as exc:
        print(f"bestbits query: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        json.dump(json.loads(frame.to_json(orient="records", date_format="iso")), sys.stdout,
                  indent=1, ensure_ascii=False)
        print()
    else:
        with __import__("pandas").option_context("display.max_rows", None,
                                                 "display.max_columns", None,
                                                 "display.width", 200,
                                                 "display.max_colwidth", 60):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bestbits.serve import serve

    return serve(_db_from(args), host=args.host, port=args.port, open_browser=args.open,
                 pool_size=args.pool_size, max_visitors=args.max_visitors,
                 idle_seconds=args.idle_timeout, expect=args.expect)


def cmd_export(args: argparse.Namespace) -> int:
    import duckdb

    from bestbits.database import DatabaseMissing
    from bestbits.export import export_folder
    from bestbits.output_folders import OutputRefused
    from bestbits.privacy import PrivacyMode

    if args.min_cell < 2 and not args.full_detail:
        print("--min-cell must be 2 or more (use --full-detail for exact counts)", file=sys.stderr)
        return 2
    privacy = PrivacyMode(None if args.full_detail else args.min_cell)
    out = Path(args.out)
    try:
        written = export_folder(_db_from(args), out, args.format, privacy,
                                config.data_dir(args.data_dir))
    except (DatabaseMissing, OutputRefused) as exc:
        print(f"bestbits export: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:
        return _refused(exc, "export", f"{out} is as it was", out.absolute().parent)
    print(f"Wrote {len(written)} files to {args.out} (described in datapackage.json; "
          f"{privacy.describe()['mode']})")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    import duckdb

    from bestbits.database import DatabaseMissing
    from bestbits.output_folders import OutputRefused
    from bestbits.publish import PublishError, publish

    data = config.data_dir(args.data_dir)
    out = Path(args.out)
    try:
        edition = publish(config.db_path(args.db, data), out, data, progress=_say)
    except (DatabaseMissing, PublishError, OutputRefused) as exc:
        print(f"bestbits publish: {exc}", file=sys.stderr)
        return 2
    except (OSError, duckdb.Error) as exc:
        return _refused(exc, "publish", f"{out} is as it was", out.absolute().parent)
    print(f"Wrote edition {edition.identifier} to {edition.folder}: {len(edition.pages)} pages, "
          f"data/ (CSV, Parquet, datapackage.json)"
          + (", captures.wacz" if edition.captures_wacz else "")
          + f". Try: python -m http.server --bind 127.0.0.1 --directory {edition.folder}")
    return 0


def _where_data_lives() -> str:
    here = config.data_dir()
    origin = ("$BESTBITS_DATA_DIR" if "BESTBITS_DATA_DIR" in os.environ
              else "the checkout's data/" if config.IN_CHECKOUT else "your user data folder")
    # Given as lines of its own: argparse would wrap a long path at its hyphens.
    return (f"data folder (database, downloads, salt), {origin}:\n  {here}\n"
            "--data-dir or $BESTBITS_DATA_DIR chooses another.")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bestbits",
        description=f"The archived record of the Best Bits network ({config.FIRST_YEAR}-"
                    f"{config.LAST_YEAR}): collect, build,\nquery and show it.",
        epilog=_where_data_lives(), formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    collect = sub.add_parser(
        "collect", help="fetch archived material into DATA_DIR/raw/",
        description="Fetch archived material (site captures, list archives) into DATA_DIR/raw/. "
                    "Then run `bestbits build`.")
    collect_sub = collect.add_subparsers(dest="source", metavar="SOURCE", required=True)
    from bestbits import cli_collect

    cli_collect.add_commands(collect_sub)

    build = sub.add_parser(
        "build", help="build the DuckDB database from data/reference/ and DATA_DIR/raw/",
        description="Build the database from the curated record (data/reference/) and whatever "
                    "the collectors stored under DATA_DIR/raw/. The previous database is replaced "
                    "only when the build succeeds.")
    add_data_dir(build)
    add_db(build)
    build.add_argument("--full", action="store_true",
                       help="re-read every input (by default unchanged inputs are reused)")
    build.add_argument("--workers", type=int, metavar="N",
                       help="processes that parse list messages (default: the machine's cores)")
    build.add_argument("--from-parquet", metavar="DIR",
                       help="load the tables of a Parquet export (bestbits export --format "
                            "parquet, or a parallel job's output) instead of reading raw files")
    build.add_argument("--from-parsed", metavar="DIR",
                       help="the list's messages as `bestbits parse-list` parsed them (on a "
                            "Dask cluster), in place of parsing DATA_DIR/raw/list/")
    build.set_defaults(run=cmd_build)

    parse_list = sub.add_parser(
        "parse-list", help="parse the list's raw files on a Dask cluster, for build --from-parsed",
        description="Parse every list input under DATA_DIR/raw/list/ as a Dask job (a local "
                    "cluster, or --scheduler's) into Parquet files; then: bestbits build "
                    "--from-parsed DIR.")
    add_data_dir(parse_list)
    parse_list.add_argument("--out", required=True, metavar="DIR", help="where to write")
    parse_list.add_argument("--scheduler", metavar="ADDRESS",
                            help="a running Dask scheduler (tcp://host:8786); default: a local "
                                 "cluster on this machine")
    parse_list.add_argument("--workers", type=int, metavar="N",
                            help="worker processes of the local cluster (default 1)")
    parse_list.set_defaults(run=cmd_parse_list)

    query = sub.add_parser(
        "query", help="run a named query from queries/",
        description="Run queries/NAME.sql against the database with bound parameters.")
    query.add_argument("name", nargs="?", metavar="NAME", help="the query (see --list)")
    query.add_argument("--list", action="store_true", help="list the queries and their parameters")
    add_db(query)
    query.add_argument("--param", action="append", metavar="KEY=VALUE",
                       help="a query parameter (repeatable)")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(run=cmd_query)

    serve = sub.add_parser(
        "serve", help="serve the dashboards with Voila",
        description="Serve the dashboards (dashboards/*.ipynb) with Voila, code hidden.")
    add_db(serve)
    add_setting(serve, "--host", "host")
    add_setting(serve, "--port", "port")
    serve.add_argument("--open", action="store_true", help="open a browser tab")
    add_setting(serve, "--pool-size", "pool_size", metavar="N")
    add_setting(serve, "--max-visitors", "max_visitors", metavar="M")
    add_setting(serve, "--idle-timeout", "idle_timeout", metavar="SECONDS")
    serve.add_argument("--expect", type=int, metavar="N",
                       help="visitors expected at once (a workshop): preheat N kernels, serve "
                            "at most N plus a quarter, and say how much memory that takes "
                            "(sets --pool-size and --max-visitors)")
    serve.set_defaults(run=cmd_serve)

    export = sub.add_parser(
        "export", help="write every table as CSV or Parquet with a datapackage.json",
        description="Write every table, plus a Frictionless datapackage.json describing each "
                    "column, its source and its licence note, into a new folder or one an "
                    "earlier export wrote (replaced whole once the new one is complete).")
    add_data_dir(export, where="the export is never written inside it")
    add_db(export)
    export.add_argument("--format", choices=["csv", "parquet"], default="csv")
    export.add_argument("--out", required=True, metavar="DIR",
                        help="a new or empty folder, or one an earlier export wrote; any other "
                             "folder, a file, or the curated record is refused")
    add_setting(export, "--min-cell", "min_cell", metavar="K")
    export.add_argument("--full-detail", action="store_true",
                        help="exact counts, for researchers whose ethics approval covers them")
    export.set_defaults(run=cmd_export)

    publish = sub.add_parser(
        "publish", help="write a static, citable edition of the database (HTML, data, captures)",
        description="Write a static site of the database into DIR: pages with charts and "
                    "sortable tables, every table as CSV and Parquet with a datapackage.json, "
                    "CITATION.cff with .zenodo.json and ro-crate-metadata.json for a deposit, and "
                    "the site's captures as captures.wacz when they were collected. It opens from "
                    "any static host or `python -m http.server`.")
    add_data_dir(publish, where="captures are read from DIR/raw/site/")
    add_db(publish)
    publish.add_argument("--out", required=True, metavar="DIR",
                         help="the edition's folder: new, empty, or an edition publish wrote "
                              "(replaced whole once the new one is complete)")
    publish.set_defaults(run=cmd_publish)
    return parser


# Commands that write: SIGTERM and SIGINT unwind them (Stopped), so that their temporaries go.
_STOPPABLE = ("build", "export", "publish")


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command in _STOPPABLE:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, _stop)
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, where a reader that went away can be answered quietly
        return status
    except BrokenPipeError:
        # The reader stopped reading (`| head`): what it wanted, it has. Later writes, and the
        # flush at exit, go nowhere instead of raising again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Stopped as stop:
        print(f"Stopped by {signal.Signals(stop.signum).name}: temporary files removed; the "
              "previous output is as it was.", file=sys.stderr)
        return 128 + stop.signum
    except SettingError as exc:  # a setting the user gave (an environment variable) is unusable
        print(f"bestbits: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

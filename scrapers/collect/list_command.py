"""`bestbits collect list` and `bestbits collect mbox`: the command-line face of mailing_list.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bestbits.cli_arguments import add_data_dir


def add_commands(collect: argparse._SubParsersAction) -> None:
    from scrapers.collect.mailing_list import DEFAULT_ARCHIVE_URL, DEFAULT_LIVE_RATE

    lst = collect.add_parser(
        "list", help="collect the pipermail archive of the mailing list",
        description="Download every month of a pipermail (Mailman 2) list archive into "
                    "DATA_DIR/raw/list/<list>/: the monthly YYYY-Month.txt.gz files, or, where "
                    "only HTML survives, date.html and the message pages. Tries the live server "
                    "first and falls back to a web archive when it does not answer. Resumable: "
                    "a rerun fetches only what is missing. Then run `bestbits build`.")
    lst.add_argument("--archive-url", default=DEFAULT_ARCHIVE_URL, metavar="URL",
                     help=f"the list's pipermail address (default {DEFAULT_ARCHIVE_URL})")
    lst.add_argument("--via-wayback", action="store_true",
                     help="skip the live server and fetch from the web archive")
    lst.add_argument("--archive", default="web.archive.org", metavar="ARCHIVE",
                     help="web archive to use: web.archive.org (default) or the root of a pywb "
                          "collection, e.g. http://127.0.0.1:8080/my-coll/")
    lst.add_argument("--rate", type=float, default=DEFAULT_LIVE_RATE, metavar="PER_SECOND",
                     help=f"requests per second to the live list server (default "
                          f"{DEFAULT_LIVE_RATE:g}; 0 = no limit, for local tests only)")
    lst.add_argument("--fetch-rate", type=float, default=None, metavar="PER_SECOND",
                     help="captures per second from the web archive (default: the archive "
                          "client's polite default)")
    lst.add_argument("--cdx-rate", type=float, default=None, metavar="PER_SECOND",
                     help="CDX listings per second from the web archive (default: polite)")
    lst.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_data_dir(lst, "files go to DIR/raw/list/")
    lst.set_defaults(run=run_list)

    mbox = collect.add_parser(
        "mbox", help="import local mbox files",
        description="Copy local mbox files (plain or .gz) into DATA_DIR/raw/list/<NAME>/imported/ "
                    "so that `bestbits build` reads them with the list archive: for instance a "
                    "copy of the governance caucus list.")
    mbox.add_argument("files", nargs="+", metavar="FILE", help="mbox files to import")
    mbox.add_argument("--list", default="bestbits", metavar="NAME", dest="list_name",
                      help="the list the messages belong to (default bestbits)")
    add_data_dir(mbox, "files go to DIR/raw/list/")
    mbox.set_defaults(run=run_mbox)


def run_list(args: argparse.Namespace) -> int:
    from scrapers.collect.archive import ArchiveError
    from scrapers.collect.mailing_list import ListCollectError, collect_list

    options = {k: v for k, v in (("fetch_rate", args.fetch_rate), ("cdx_rate", args.cdx_rate))
               if v is not None}
    try:
        summary = collect_list(args.archive_url, args.data_dir, via_wayback=args.via_wayback,
                               archive=args.archive, live_rate=args.rate,
                               archive_options=options, show_progress=not args.no_progress)
    except (ListCollectError, ArchiveError, ValueError) as exc:
        print(f"Could not collect the list: {exc}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0 if not summary.failures else 3


def run_mbox(args: argparse.Namespace) -> int:
    from scrapers.collect.mailing_list import ListCollectError, import_mbox

    try:
        summary = import_mbox([Path(f) for f in args.files], args.list_name, args.data_dir)
    except ListCollectError as exc:
        print(f"Could not import: {exc}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0

"""The `bestbits collect` commands (site, warc, list, mbox): their options and help, and the
calls into the collectors (scrapers/collect/). The CLI knows the collectors; they know no CLI."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bestbits import config
from bestbits.cli_arguments import add_data_dir
from scrapers.collect.archive import (
    DEFAULT_CDX_RATE,
    DEFAULT_FETCH_RATE,
    ArchiveBlocked,
    ArchiveError,
    ArchiveUnreachable,
    RateLimited,
    open_archive,
)
from scrapers.collect.mailing_list import (
    DEFAULT_ARCHIVE_URL,
    ListCollectError,
    collect_list,
    import_mbox,
)
from scrapers.collect.site import DEFAULT_FROM, DEFAULT_SITE, DEFAULT_TO, collect_site, import_warcs
from scrapers.collect.transport import DEFAULT_LIVE_RATE
from scrapers.raw_store.warc_store import StoreBusy, store_folder


def add_commands(collect: argparse._SubParsersAction) -> None:
    """`bestbits collect site|warc|list|mbox`, in the order `bestbits collect --help` lists them."""
    add_site_commands(collect)
    add_list_commands(collect)


SITE_HELP = "collect every archived capture of the site into DATA_DIR/raw/site/ (WARC)"
SITE_DESCRIPTION = (
    "List every capture of the site in the archive (CDX), fetch each distinct one raw (id_), and "
    "store it as a WARC record under DATA_DIR/raw/site/ with an index (captures.jsonl). "
    "Redirects are followed through the archive and indexed with their target; errors are "
    "indexed without a body. A rerun fetches only what is not yet "
    "stored. Polite by default: at most 0.4 CDX and 8 capture requests per second, a full "
    "pause on HTTP 429. Then run `bestbits build`.")
WARC_HELP = "import WARC/ARC/WACZ files (Archive-It, Webrecorder, Heritrix) into DATA_DIR/raw/site/"


def add_site_commands(collect: argparse._SubParsersAction) -> None:
    site = collect.add_parser("site", help=SITE_HELP, description=SITE_DESCRIPTION)
    site.add_argument(
        "--archive", default="web.archive.org", metavar="ARCHIVE",
        help="web.archive.org (default); wayback+http://HOST:PORT/ for a server with the "
             "Internet Archive's paths (/cdx/search/cdx, /web/<ts>id_/<url>: a mirror); or the "
             "root of a pywb-compatible collection, e.g. http://127.0.0.1:8080/my-coll/ (CDX at "
             "ROOT/cdx, captures at ROOT/<ts>id_/<url>)")
    site.add_argument("--site", default=DEFAULT_SITE,
                      help=f"the site (all its paths, including language prefixes) "
                           f"(default {DEFAULT_SITE})")
    site.add_argument("--from", dest="from_", default=DEFAULT_FROM, metavar="YEAR",
                      help=f"first capture time, YYYY[MMDDhhmmss] (default {DEFAULT_FROM})")
    site.add_argument("--to", default=DEFAULT_TO, metavar="YEAR",
                      help=f"last capture time, YYYY[MMDDhhmmss] (default {DEFAULT_TO})")
    site.add_argument("--cdx-rate", type=float, default=DEFAULT_CDX_RATE, metavar="PER_S",
                      help=f"CDX requests per second (default {DEFAULT_CDX_RATE}, the Internet "
                           "Archive's limit with a margin; 0 = no limit, for your own archive)")
    site.add_argument("--fetch-rate", type=float, default=DEFAULT_FETCH_RATE, metavar="PER_S",
                      help=f"capture requests per second (default {DEFAULT_FETCH_RATE:g}; "
                           "0 = no limit)")
    site.add_argument("--no-follow-redirects", action="store_true",
                      help="index redirect captures without following them (saves a request "
                           "or a few per redirect; their target is then not recorded)")
    site.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_data_dir(site)
    site.set_defaults(run=run_site)

    warc = collect.add_parser(
        "warc", help=WARC_HELP,
        description="Import existing WARC (0.17-1.1, .warc or .warc.gz, including files gzipped "
                    "as one stream, which are recompressed on import), ARC (.arc, .arc.gz) or "
                    "WACZ files into the same store and index as `collect site`. Response "
                    "records are stored, revisits point at their stored original; every other "
                    "record is counted by type or rejected with a reason, and a damaged file "
                    "is read up to the damage (its offset is reported). Records already in the "
                    "index are skipped.")
    warc.add_argument("files", nargs="+", metavar="FILE", help="WARC, ARC or WACZ files")
    warc.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_data_dir(warc)
    warc.set_defaults(run=run_warc)


def run_site(args: argparse.Namespace) -> int:
    data = config.data_dir(args.data_dir)
    try:
        archive = open_archive(args.archive, cdx_rate=args.cdx_rate, fetch_rate=args.fetch_rate)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Collecting {args.site} ({args.from_}-{args.to}) from {archive.root} "
          f"into {store_folder(data)}", file=sys.stderr)
    try:
        summary = collect_site(data, archive, site=args.site, from_=args.from_, to=args.to,
                               progress=not args.no_progress,
                               follow_redirects=not args.no_follow_redirects)
    except (StoreBusy, ArchiveBlocked) as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ArchiveUnreachable, RateLimited, ArchiveError) as exc:
        print(f"Stopped: {exc}", file=sys.stderr)
        print("What was stored so far stays stored; rerun to continue.", file=sys.stderr)
        return 1
    print(summary.text())
    return 1 if summary.failed or summary.stopped else 0


def run_warc(args: argparse.Namespace) -> int:
    data = config.data_dir(args.data_dir)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        print(f"No such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        summary = import_warcs(data, [Path(f) for f in args.files],
                               progress=not args.no_progress)
    except StoreBusy as exc:
        print(exc, file=sys.stderr)
        return 2
    print(summary.text())
    return 1 if summary.failed else 0


# -- the mailing list: collect list, collect mbox ---------------------------------------------

def add_list_commands(collect: argparse._SubParsersAction) -> None:
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
    try:
        summary = import_mbox([Path(f) for f in args.files], args.list_name, args.data_dir)
    except ListCollectError as exc:
        print(f"Could not import: {exc}", file=sys.stderr)
        return 1
    print(summary.text())
    return 0

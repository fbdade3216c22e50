"""`bestbits collect site` and `bestbits collect warc`: the site collector's command line."""

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
from scrapers.collect.site import DEFAULT_FROM, DEFAULT_SITE, DEFAULT_TO, collect_site, import_warcs
from scrapers.collect.warc_store import StoreBusy

SITE_HELP = "collect every archived capture of the site into DATA_DIR/raw/site/ (WARC)"
SITE_DESCRIPTION = (
    "List every capture of the site in the archive (CDX), fetch each distinct one raw (id_), and "
    "store it as a WARC record under DATA_DIR/raw/site/ with an index (captures.jsonl). "
    "Redirects are followed through the archive and indexed with their target; errors are "
    "indexed without a body. A rerun fetches only what is not yet "
    "stored. Polite by default: at most 0.4 CDX and 8 capture requests per second, a full "
    "pause on HTTP 429. Then run `bestbits build`.")
WARC_HELP = "import WARC/ARC/WACZ files (Archive-It, Webrecorder, Heritrix) into DATA_DIR/raw/site/"


def add_commands(collect: argparse._SubParsersAction) -> None:
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
          f"into {data / 'raw' / 'site'}", file=sys.stderr)
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

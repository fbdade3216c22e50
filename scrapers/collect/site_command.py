"""`bestbits collect site` and `bestbits collect warc` (issue 4 fills these in)."""

from __future__ import annotations

import argparse


def add_commands(collect: argparse._SubParsersAction) -> None:
    for name, help_text in (("site", "collect every archived capture of the site (not yet built)"),
                            ("warc", "import WARC files into the raw store (not yet built)")):
        parser = collect.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(run=_not_yet)


def _not_yet(args: argparse.Namespace) -> int:
    print("This collector is not built yet.")
    return 2

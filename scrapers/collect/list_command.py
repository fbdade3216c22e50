"""`bestbits collect list` and `bestbits collect mbox` (issue 6 fills these in)."""

from __future__ import annotations

import argparse


def add_commands(collect: argparse._SubParsersAction) -> None:
    for name, help_text in (("list", "collect the pipermail archive of the mailing list (not yet built)"),
                            ("mbox", "import local mbox files (not yet built)")):
        parser = collect.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(run=_not_yet)


def _not_yet(args: argparse.Namespace) -> int:
    print("This collector is not built yet.")
    return 2

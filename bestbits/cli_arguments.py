"""Command-line options that several commands share, and options that set a setting: their help
and defaults come from the settings table (bestbits/settings.py), so that they read the same
everywhere and never drift from it."""

from __future__ import annotations

import argparse

from bestbits.settings import setting


def defaults_in_words(name: str) -> str:
    """'$BESTBITS_DB or DATA_DIR/bestbits.duckdb': where a path setting comes from, in order."""
    entry = setting(name)
    return " or ".join(filter(None, [f"${entry.env}" if entry.env else None,
                                     entry.default_words()]))


def add_data_dir(parser: argparse.ArgumentParser,
                 where: str = "raw downloads go to DIR/raw/") -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help=f"data folder; {where} (default: {defaults_in_words('data_dir')})")


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH",
        help=f"database file (default: {defaults_in_words('db')})")


_ARGUMENT_TYPES = {"int": int, "text": str}


def add_setting(parser: argparse.ArgumentParser, flag: str, name: str, **options) -> None:
    """An option that sets the setting `name`: its default, type and help from the table."""
    entry = setting(name)
    parser.add_argument(flag, default=entry.default, type=_ARGUMENT_TYPES[entry.kind],
                        help=f"{entry.help} (default {entry.default_words()})", **options)

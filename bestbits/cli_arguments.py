"""Command-line options that several commands share, so that they read the same everywhere."""

from __future__ import annotations

import argparse


def add_data_dir(parser: argparse.ArgumentParser,
                 where: str = "raw downloads go to DIR/raw/") -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help=f"data folder; {where} (default: $BESTBITS_DATA_DIR or data/)")


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", metavar="PATH",
        help="database file (default: $BESTBITS_DB or DATA_DIR/bestbits.duckdb)")

"""The README documents every command and every named query the tool offers."""

from __future__ import annotations

import argparse

from bestbits import config, query
from bestbits.cli import make_parser

README = (config.REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "bestbits") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found += _subcommands(sub, f"{prefix} {name}")
    return found


def test_every_command_is_in_the_readme():
    missing = [c for c in _subcommands(make_parser()) if c not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_query_has_a_one_line_description():
    for named in query.available().values():
        assert 10 < len(named.description) < 200, named.name

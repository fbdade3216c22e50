"""The README documents every command, every named query, every setting and every environment
variable the tool reads."""

from __future__ import annotations

import argparse
import re

from bestbits import config, query, settings
from bestbits.cli import make_parser
from bestbits.cli_arguments import defaults_in_words

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


# -- settings (Datasette's habit: a setting the README does not list fails the suite) ----------

SETTINGS_START = "<!-- settings: printed by `python -m bestbits.settings`; tests/test_docs.py checks it -->"
SETTINGS_END = "<!-- /settings -->"
PRODUCT_CODE = ("bestbits", "scrapers", "dashboards")
DEVELOPMENT_CODE = ("tests", "benchmarks")
# Variables the code reads that are no setting of ours, and why.
NOT_SETTINGS = {
    "QUERY_STRING": "Voila sets it to the address's query string on every page it serves",
    "PYTHONPATH": "Python's own; the code extends it for the processes it starts, never reads "
                  "a value of ours from it",
    "BESTBITS_VIEWS": "bestbits serve sets it for its kernels: where it wrote the default views "
                      "(dashboards/default_views.py); not a user's setting",
    "XDG_CACHE_HOME": "the desktop's cache folder, where the default views go when the "
                      "database's folder cannot take them",
}
_ENVIRONMENT_READ = re.compile(
    r"""(?:os\.environ(?:\.get)?\(\s*|os\.environ\[\s*|os\.getenv\(\s*)["']([A-Z][A-Z0-9_]*)["']"""
    r"""|["']([A-Z][A-Z0-9_]*)["']\s+(?:not\s+)?in\s+os\.environ"""
    r"""|["'](BESTBITS_[A-Z0-9_]+)["']""")


def environment_variables_read(folders: tuple[str, ...]) -> dict[str, str]:
    """Variable -> a file that reads it (or names it, for BESTBITS_*), in these folders."""
    found: dict[str, str] = {}
    for folder in folders:
        for path in sorted((config.REPO_ROOT / folder).rglob("*.py")):
            for match in _ENVIRONMENT_READ.finditer(path.read_text(encoding="utf-8")):
                name = next(group for group in match.groups() if group)
                found.setdefault(name, path.relative_to(config.REPO_ROOT).as_posix())
    return found


def test_the_readme_lists_every_setting_as_the_settings_table_says():
    assert SETTINGS_START in README and SETTINGS_END in README, "README.md has no settings table"
    written = README.split(SETTINGS_START, 1)[1].split(SETTINGS_END, 1)[0].strip()
    assert written == settings.markdown_table(), (
        "README.md's settings table differs from bestbits/settings.py: paste the output of "
        "`python -m bestbits.settings` between its markers")


def test_every_environment_variable_the_program_reads_is_a_documented_setting():
    declared = settings.environment_variables()
    undeclared = {name: where for name, where in environment_variables_read(PRODUCT_CODE).items()
                  if name not in declared and name not in NOT_SETTINGS}
    assert not undeclared, (f"environment variables read but not declared in "
                            f"bestbits/settings.py: {undeclared}")
    assert {f"${name}" for name in declared} <= set(re.findall(r"\$[A-Z_]+", README))


def test_every_environment_variable_the_tests_and_benchmarks_read_is_in_the_readme():
    read = environment_variables_read(DEVELOPMENT_CODE)
    missing = {name: where for name, where in read.items()
               if name not in NOT_SETTINGS and f"`{name}`" not in README
               and f"${name}" not in README}
    assert not missing, f"environment variables not mentioned in README.md: {missing}"


def test_every_setting_has_help_a_kind_and_a_default():
    for entry in settings.SETTINGS:
        assert 10 < len(entry.help) < 300, entry.name
        assert entry.kind in {"path", "text", "int", "memory", "seconds-since-epoch"}, entry.name
        assert entry.default is not None or entry.default_text, entry.name


def test_every_option_that_sets_a_setting_takes_its_default_from_the_table():
    parser = make_parser()
    commands = {name: sub for action in parser._actions
                if isinstance(action, argparse._SubParsersAction)
                for name, sub in action.choices.items()}
    for entry in settings.SETTINGS:
        for flag in entry.flags:
            words = flag.split()
            if len(words) != 3 or words[1] not in commands:
                continue  # an option of several commands, or of `collect ...`: see add_data_dir
            option = next(a for a in commands[words[1]]._actions if words[2] in a.option_strings)
            assert option.default == entry.default, flag
            if entry.kind == "path":  # the help names the folder's part; the defaults as the table
                assert defaults_in_words(entry.name) in option.help, flag
            else:
                assert entry.help in option.help, flag

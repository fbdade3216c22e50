"""Every setting a user can change, declared once as data: name, default, environment variable,
command-line flags, help text and kind (Datasette's habit: `datasette/app.py` SETTINGS).

`bestbits/config.py` reads them, `bestbits/cli_arguments.py` writes the CLI's help from them,
and the README's "Settings" section lists them (`tests/test_docs.py` fails when one is missing
there, or when the code reads an environment variable that is not one of them).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


class SettingError(ValueError):
    """A setting's value cannot be used; the message names the setting and what it takes."""


@dataclass(frozen=True)
class Setting:
    """One setting. `default` is the value itself, or None when it is worked out at run time
    (then `default_text` says how); `kind` decides how a value written as text is read."""

    name: str
    default: object
    help: str
    kind: str                       # path | text | int | memory | seconds-since-epoch
    env: str | None = None          # the environment variable that sets it
    flags: tuple[str, ...] = ()     # the command-line options that set it ('bestbits serve --port')
    default_text: str | None = None  # how the default reads in help and README, if not str(default)

    def default_words(self) -> str:
        return self.default_text if self.default_text is not None else str(self.default)

    def parse(self, text: str) -> object:
        """The value written as `text` (an environment variable's), read as this kind."""
        if self.kind == "int" or self.kind == "seconds-since-epoch":
            try:
                return int(text)
            except ValueError:
                raise SettingError(f"{self.source()} is {text!r}: give a whole number") from None
        if self.kind == "memory":
            memory_bytes(text, self.source())  # checks it; DuckDB takes the text itself
            return text.strip()
        return text

    def source(self) -> str:
        return f"${self.env}" if self.env else self.name

    def value(self) -> object:
        """The environment variable's value, read as this kind; else the default (None when the
        default is worked out by the caller)."""
        text = os.environ.get(self.env) if self.env else None
        return self.parse(text) if text else self.default


# Memory sizes as DuckDB takes them ('256MB', '1 GiB'): decimal and binary units.
_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3,
          "tb": 1000 ** 4, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}


def memory_bytes(setting: str, name: str = "a memory setting") -> int:
    """'256MB', '1 GiB' (a memory size as DuckDB takes it) -> bytes; SettingError otherwise."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", setting)
    if not match or match.group(2).lower() not in _UNITS:
        raise SettingError(f"{name} is {setting!r}: give a memory size such as 256MB or 1GB")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


SETTINGS: tuple[Setting, ...] = (
    # -- where things are -------------------------------------------------------------------
    Setting(
        "data_dir", None, "data folder: the database, what the collectors download "
        "(DATA_DIR/raw/, never committed) and the salt; an installed copy outside a checkout "
        "defaults to the user data folder (`bestbits --help` says where)", "path",
        env="BESTBITS_DATA_DIR",
        flags=("bestbits build --data-dir", "bestbits publish --data-dir",
               "bestbits collect ... --data-dir"),
        default_text="data/"),
    Setting(
        "db", None, "the database file", "path", env="BESTBITS_DB",
        flags=("--db",), default_text="DATA_DIR/bestbits.duckdb"),
    Setting(
        "reference_dir", None, "the curated record the build reads; point it at a revised copy "
        "to check it before it replaces the committed one", "path",
        env="BESTBITS_REFERENCE_DIR", default_text="data/reference/"),
    # -- privacy ----------------------------------------------------------------------------
    Setting(
        "salt", None, "the key of the salted pseudonyms of senders' addresses; one salt gives "
        "one person the same key in every build", "text", env="BESTBITS_SALT",
        default_text="DATA_DIR/.salt, created once at random"),
    # Five is the usual threshold of statistical disclosure control for published tables.
    Setting(
        "min_cell", 5, "per-person and per-organisation counts below K are given as '<K'; the "
        "dashboards take K from $BESTBITS_MIN_CELL", "int",
        env="BESTBITS_MIN_CELL", flags=("bestbits export --min-cell",)),
    # -- the build's memory -----------------------------------------------------------------
    # What DuckDB may hold in memory during a build (issue 10: the ingest's memory must not
    # grow with the archive); it spills to a temporary folder past it.
    Setting(
        "build_memory", "256MB", "what DuckDB may hold in memory during a build (it spills to "
        "disk past it)", "memory", env="BESTBITS_BUILD_MEMORY"),
    # Parsing the list streams, so it needs little; a larger allowance is filled with cached
    # blocks, and the ingest's memory then grows with the archive up to it. (The resolution
    # after it needs more: 64 MB ran out at 834,400 messages, so it has the build's limit.)
    Setting(
        "list_memory", "64MB", "what DuckDB may hold while the list's messages are parsed",
        "memory", env="BESTBITS_LIST_MEMORY"),
    # -- the edition ------------------------------------------------------------------------
    Setting(
        "source_date_epoch", None, "the build date in an edition's id, published or served (seconds "
        "since 1970, the reproducible-builds convention)", "seconds-since-epoch",
        env="SOURCE_DATE_EPOCH", default_text="the database file's date"),
    # -- serving the dashboards ---------------------------------------------------------------
    Setting(
        "host", "127.0.0.1", "address to listen on; 127.0.0.1 is this machine only", "text",
        flags=("bestbits serve --host",)),
    Setting("port", 8866, "port to listen on", "int", flags=("bestbits serve --port",)),
    # A small pool: each preheated kernel holds plotly and duckdb (about 160 MB), and the machine this
    # runs on for most users is a laptop. A workshop expecting a crowd raises it.
    Setting(
        "pool_size", 2, "kernels kept preheated for the next visitors", "int",
        flags=("bestbits serve --pool-size",)),
    # At about 160-200 MB a kernel (issue 19's measure), 10 visitors take some 2 GB: a laptop
    # survives it, and a class of 8 arriving together is served. Past the cap, visitors get a
    # busy page that retries by itself (bestbits/voila_server.py) instead of a kernel that
    # could exhaust memory.
    Setting(
        "max_visitors", 10, "most visitors served at once; past it a page says the dashboard is "
        "busy and retries by itself", "int", flags=("bestbits serve --max-visitors",)),
    # A kernel with no open page and no activity for this long is shut down: the visitor has
    # left. jupyter-server's culler checks every idle_timeout / 4 (at most every 15 s), so a
    # kernel goes at most 105 s after its tab closed, inside issue 9's 2 minutes. A page keeps
    # its kernel's websocket open while shown, so a visitor reading without clicking is never
    # cut off. The timeout must outlast the time between the page's last cell and its
    # websocket opening (the front end loading): on a loaded 2-core machine with a crowd
    # arriving that took tens of seconds, hence 90 s and not less.
    Setting(
        "idle_timeout", 90, "shut a kernel down when no page has it open and it was idle this "
        "many seconds", "int", flags=("bestbits serve --idle-timeout",)),
)

BY_NAME: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Setting:
    return BY_NAME[name]


def default(name: str) -> object:
    """A setting's default value (None when it is worked out at run time)."""
    return BY_NAME[name].default


def environment_variables() -> set[str]:
    return {s.env for s in SETTINGS if s.env}


def markdown_table() -> str:
    """The README's table of settings, as `python -m bestbits.settings` prints it."""
    lines = ["| setting | default | environment variable | option | what it does |",
             "|---|---|---|---|---|"]
    for entry in SETTINGS:
        env = f"`${entry.env}`" if entry.env else ""
        flags = ", ".join(f"`{flag}`" for flag in entry.flags)
        lines.append(f"| `{entry.name}` | {entry.default_words()} | {env} | {flags} | "
                     f"{entry.help} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())

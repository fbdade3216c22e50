"""Export every table as CSV or Parquet, with a Frictionless datapackage.json that describes it.

`export_folder` is the command (`bestbits export --out DIR`): it writes a new folder, or replaces
one it wrote before, whole and at once (bestbits/output_folders.py). `export` is the writer it
and `bestbits publish` share, into a folder the caller owns.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from bestbits import __version__, config, networks, query
from bestbits.database import connect
from bestbits.output_folders import OutputFolder
from bestbits.privacy import PrivacyMode, mark_protected_fields, protected_relation

LICENCE_NOTE = (
    "Facts compiled from stored copies of public web pages and mailing-list archives; every row "
    "cites the page it came from in source_url (where the table has one), and archived_url "
    "opens an archived version of it: the exact capture a parsed row was read from "
    "(archived_match 'exact'), or, for a curated row, the Wayback Machine's copy nearest the "
    "row's date, archived_at (archived_match 'nearest': it may be from another day). E-mail "
    "addresses are never included: people appear by display name, a salted pseudonym and their "
    "domain. Cite the source_url of each fact you use, with its archived_url and archived_at.")

# Columns whose meaning is the same in every table.
COMMON_COLUMNS = {
    "source_url": "An address a person can open to check the row: the archived page, or the page "
                  "the curator read.",
    "method": "How the row was obtained: curated (by hand, from the cited page), scraped "
              "(recorded by a collector) or parsed (extracted from an archived capture).",
}

# The list reader's working tables: what incremental builds reuse (one row per parsed message,
# with its sender's pseudonym and name as read), not part of the record. They would double an
# export and carry per-person detail around the small-cell rules, so no export writes them.
BUILD_WORKING_TABLES = ("build_inputs", "list_inputs", "list_parsed", "list_parsed_mentions",
                        "list_parse_rejects")
# Precomputed per-person figures (messages per person and year, replies between people): only a
# full-detail export carries them, since their counts are per person.
PER_PERSON_TABLES = ("list_activity", "list_reply_pairs")
# The networks (bestbits/networks.py) beside the tables: each as GRAPHML and node and edge lists.
NETWORK_STEMS = tuple(f"network_{name}" for name in networks.NETWORKS)


def exported_tables(con: duckdb.DuckDBPyConnection, privacy: PrivacyMode) -> list[str]:
    left_out = set(BUILD_WORKING_TABLES) | (set() if privacy.full_detail else set(PER_PERSON_TABLES))
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main' ORDER BY table_name").fetchall() if r[0] not in left_out]


_COLUMN_COMMENT = re.compile(r"^\s+(?:ADD COLUMN\s+(?:IF NOT EXISTS\s+)?)?\"?(\w+)\"?\s+[A-Z]"
                             r"[^-]*--\s*(.+)$")
_ADDED_COLUMN = re.compile(r"ALTER TABLE\s+\"?(\w+)\"?\s+ADD COLUMN\s+(?:IF NOT EXISTS\s+)?\"?(\w+)\"?"
                           r"[^;]*;\s*--\s*(.+)$", re.IGNORECASE)
_TABLE = re.compile(r"(?:CREATE TABLE|ALTER TABLE)\s+(?:IF NOT EXISTS\s+)?\"?(\w+)\"?",
                    re.IGNORECASE)


def column_descriptions() -> dict[tuple[str, str], str]:
    """(table, column) -> description, read from the comments beside the schema's DDL."""
    descriptions: dict[tuple[str, str], str] = {}
    for path in sorted(config.SCHEMA_DIR.glob("*.sql")):
        table = None
        for line in path.read_text().splitlines():
            added = _ADDED_COLUMN.search(line)
            if added:
                descriptions[(added.group(1), added.group(2))] = added.group(3).strip()
                continue
            match = _TABLE.search(line)
            if match:
                table = match.group(1)
            comment = _COLUMN_COMMENT.match(line)
            if comment and table:
                descriptions[(table, comment.group(1))] = comment.group(2).strip()
    return descriptions


_TYPES = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "DATE": "date",
          "TIMESTAMP": "datetime", "DOUBLE": "number", "BOOLEAN": "boolean"}


def export_folder(db: Path, out: Path, fmt: str = "csv", privacy: PrivacyMode | None = None,
                  data_dir: Path | None = None) -> list[Path]:
    """Every table into OUT: a new or empty folder, or one an earlier export wrote, which is then
    replaced whole; anything else (a user's folder, a file, the curated record or the data
    folder DATA_DIR) is refused with OutputRefused before anything is written. A failed or
    stopped export leaves OUT as it was. Returns the files written, under OUT."""
    folder = OutputFolder(out, "export", data_dir)
    folder.check()
    work = folder.start()
    try:
        written = export(db, work, fmt, privacy)
        folder.finish()
    except BaseException:
        folder.abandon()
        raise
    return [out / path.relative_to(work) for path in written]


def export(db: Path, out: Path, fmt: str = "csv",
           privacy: PrivacyMode | None = None) -> list[Path]:
    """Write every table into OUT, a folder the caller owns; small per-person counts are coarsened
    unless `privacy` says full detail."""
    privacy = privacy or PrivacyMode()
    if fmt not in ("csv", "parquet"):
        raise ValueError("format must be csv or parquet")
    con = connect(db)
    out.mkdir(parents=True, exist_ok=True)
    descriptions = column_descriptions()
    written, resources = [], []
    for table in exported_tables(con, privacy):
        path = out / f"{table}.{fmt}"
        relation = protected_relation(con, table, privacy)
        if fmt == "csv":
            relation.write_csv(str(path))
        else:
            relation.write_parquet(str(path))
        written.append(path)
        resources.append(mark_protected_fields(
            _resource(con, table, path.name, fmt, descriptions), table, privacy))
    network_files, network_resources = export_networks(con, out, fmt, privacy)
    written += network_files
    resources += network_resources
    package = {
        # Not "tabular-data-package": the networks' GraphML files are resources too.
        "profile": "data-package",
        "name": "bestbits-archive",
        "title": "The archived record of the Best Bits network (2012-2019)",
        "version": __version__,
        "licenses": [{"name": "other-attribution", "title": LICENCE_NOTE}],
        "sources": [{"title": "Curated record (data/reference/), each row citing its page"},
                    {"title": "Web archive captures of bestbits.net",
                     "path": "https://web.archive.org/web/*/bestbits.net/*"},
                    {"title": "Best Bits mailing-list archive",
                     "path": "https://lists.igcaucus.org/pipermail/bestbits/"}],
        "resources": resources,
        "privacy": privacy.describe(),  # which mode the package was written in
    }
    package_path = out / "datapackage.json"
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")
    written.append(package_path)
    con.close()
    return written


def export_networks(con: duckdb.DuckDBPyConnection, out: Path, fmt: str,
                    privacy: PrivacyMode) -> tuple[list[Path], list[dict]]:
    """The co-signatory and reply networks of every year, each as GraphML and as node and edge
    lists in FMT; the reply networks merge people and domains under the privacy mode's k into
    "others" (none merged in full detail)."""
    def run(name: str, **params):
        return query.run(con.cursor(), name, {k: v for k, v in params.items() if v is not None})

    everything = networks.period_named(run, "all", config.FIRST_YEAR, config.LAST_YEAR)
    min_cell = 1 if privacy.full_detail else int(privacy.min_cell)
    built = [networks.cosignatory_network(run, everything),
             networks.reply_network(run, "people", everything, min_cell),
             networks.reply_network(run, "organisations", everything, min_cell)]
    written, resources = [], []
    for network in built:
        stem = f"network_{network.name}"  # one of NETWORK_STEMS
        graphml = networks.write_graphml(network, out / f"{stem}.graphml")
        written.append(graphml)
        resources.append({
            "profile": "data-resource", "name": f"{stem}-graphml".replace("_", "-"),
            "path": graphml.name, "format": "graphml", "mediatype": "application/graphml+xml",
            "description": f"{network.title}, as GraphML (networkx reads it: "
                           f"networkx.read_graphml). {' '.join(network.notes)}".strip(),
            "licenses": [{"name": "other-attribution", "title": LICENCE_NOTE}]})
        for part, frame in (("nodes", networks.frame(network.nodes)),
                            ("edges", networks.frame(network.edges))):
            path = out / f"{stem}_{part}.{fmt}"
            if fmt == "csv":
                frame.to_csv(path, index=False)
            else:
                frame.to_parquet(path, index=False)
            written.append(path)
            resources.append(_network_resource(f"{stem}_{part}", path.name, fmt, list(frame.columns),
                                               f"{network.title}: the {part}."))
    return written, resources


def _network_resource(name: str, filename: str, fmt: str, columns: list[str],
                      description: str) -> dict:
    fields = [{"name": c, "type": networks.COLUMNS[c][0], "description": networks.COLUMNS[c][1]}
              for c in columns]
    schema: dict = {"fields": fields}
    if fmt == "parquet":
        schema["missingValues"] = ["", "nan", "NaT"]
    return {
        "profile": "tabular-data-resource",
        "name": name.replace("_", "-"),
        "path": filename,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
        "description": description,
        "schema": schema,
        "sources": [{"title": "per edge: the statements in statement_ids, each citing its source"}],
        "licenses": [{"name": "other-attribution", "title": LICENCE_NOTE}],
    }


def _resource(con: duckdb.DuckDBPyConnection, table: str, filename: str, fmt: str,
              descriptions: dict) -> dict:
    fields = []
    for name, dtype in con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
            [table]).fetchall():
        fields.append({
            "name": name,
            "type": _TYPES.get(dtype.split("(")[0], "any"),
            "description": descriptions.get((table, name)) or COMMON_COLUMNS.get(name, ""),
        })
    has_sources = any(f["name"] == "source_url" for f in fields)
    schema: dict = {"fields": fields}
    if fmt == "parquet":
        # Frictionless reads Parquet through pandas, which turns a missing integer into NaN and a
        # missing timestamp into NaT: both mean "no value", as an empty cell does in the CSV.
        schema["missingValues"] = ["", "nan", "NaT"]
    return {
        "profile": "tabular-data-resource",
        "name": table.replace("_", "-"),
        "path": filename,
        "format": fmt,
        "mediatype": "text/csv" if fmt == "csv" else "application/vnd.apache.parquet",
        "schema": schema,
        "sources": [{"title": "per row: the source_url column"}] if has_sources else [],
        "licenses": [{"name": "other-attribution", "title": LICENCE_NOTE}],
    }

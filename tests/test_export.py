"""`bestbits export`: every table, as CSV or Parquet, described column by column in datapackage.json."""

from __future__ import annotations

import csv
import json

import duckdb
import pytest

from bestbits.export import BUILD_WORKING_TABLES, NETWORK_STEMS, PER_PERSON_TABLES
from support.cli import run_cli


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_writes_every_table_and_describes_every_column(built_db, tmp_path, fmt):
    out = tmp_path / "export"
    result = run_cli("export", "--db", str(built_db), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    package = json.loads((out / "datapackage.json").read_text())
    con = duckdb.connect(str(built_db), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main' "
                                        "AND table_type = 'BASE TABLE'").fetchall()}
    # The build's working tables never leave; per-person tables only in a full-detail export.
    tables -= set(BUILD_WORKING_TABLES) | set(PER_PERSON_TABLES)
    # The networks beside the tables: tests/test_networks.py checks them.
    resources = {r["path"].rsplit(".", 1)[0]: r for r in package["resources"]
                 if not r["path"].startswith(NETWORK_STEMS)}
    assert set(resources) == tables
    for table, resource in resources.items():
        undescribed = [f["name"] for f in resource["schema"]["fields"] if not f["description"]]
        assert not undescribed, f"{table}: columns without a description: {undescribed}"
        assert resource["licenses"]
        count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        path = out / resource["path"]
        if fmt == "csv":
            with path.open(encoding="utf-8") as handle:
                assert sum(1 for _ in csv.DictReader(handle)) == count
        else:
            assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]
                               ).fetchone()[0] == count


def test_exported_files_hold_no_address(built_db, tmp_path):
    out = tmp_path / "export"
    run_cli("export", "--db", str(built_db), "--out", str(out))
    import re
    pattern = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
    for path in out.glob("*.csv"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name

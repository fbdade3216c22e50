"""`bestbits export` writes a data package that `frictionless validate` accepts, CSV and Parquet."""

from __future__ import annotations

import pytest

from support.cli import run_cli

frictionless = pytest.importorskip("frictionless", reason="frictionless is in the test extra")


def validation_errors(package_file) -> list[str]:
    """Every error frictionless finds in the package and its data, one line each."""
    report = frictionless.validate(str(package_file))
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exported_data_package_passes_frictionless_validate(built_db, tmp_path, fmt):
    out = tmp_path / fmt
    result = run_cli("export", "--db", str(built_db), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert validation_errors(out / "datapackage.json") == []

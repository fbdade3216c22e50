"""Settings are read from the one table: environment variables override defaults, and a value that
cannot be used stops a command with one line saying which variable and what it takes."""

from __future__ import annotations

import pytest

from bestbits import config, serve, settings
from support.cli import run_cli


def test_an_environment_variable_overrides_the_tables_default(monkeypatch) -> None:
    monkeypatch.delenv("BESTBITS_LIST_MEMORY", raising=False)
    assert config.list_memory_limit() == settings.default("list_memory") == "64MB"
    monkeypatch.setenv("BESTBITS_LIST_MEMORY", "32MB")
    assert config.list_memory_limit() == "32MB"
    monkeypatch.setenv("BESTBITS_LIST_MEMORY", "")  # empty is unset, as the shell means it
    assert config.list_memory_limit() == "64MB"


@pytest.mark.parametrize("text, size", [("256MB", 256_000_000), ("1 GiB", 1 << 30),
                                        ("64mb", 64_000_000), ("0.5GB", 500_000_000)])
def test_memory_sizes_read_as_duckdb_reads_them(text: str, size: int) -> None:
    assert settings.memory_bytes(text) == size


def test_a_memory_size_that_is_none_names_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("BESTBITS_BUILD_MEMORY", "lots")
    with pytest.raises(settings.SettingError, match=r"\$BESTBITS_BUILD_MEMORY is 'lots'"):
        config.build_memory_limit()


def test_a_small_cell_threshold_that_is_no_number_keeps_the_default(monkeypatch) -> None:
    # The dashboards read it in a visitor's kernel: a page must still open.
    monkeypatch.setenv("BESTBITS_MIN_CELL", "five")
    assert config.min_cell() == 5
    monkeypatch.setenv("BESTBITS_MIN_CELL", "10")
    assert config.min_cell() == 10


def test_the_serve_defaults_are_the_tables() -> None:
    assert (serve.DEFAULT_POOL_SIZE, serve.DEFAULT_MAX_VISITORS, serve.DEFAULT_IDLE_SECONDS) == (
        settings.default("pool_size"), settings.default("max_visitors"),
        settings.default("idle_timeout"))
    assert (config.DEFAULT_HOST, config.DEFAULT_PORT) == ("127.0.0.1", 8866)


def test_an_unusable_setting_stops_the_build_with_one_line_and_status_2(tmp_path) -> None:
    result = run_cli("build", "--data-dir", str(tmp_path), "--db", str(tmp_path / "x.duckdb"),
                     env={"BESTBITS_BUILD_MEMORY": "lots"}, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "bestbits: $BESTBITS_BUILD_MEMORY is 'lots': give a memory size such as 256MB or 1GB")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no database, and no temporary file left behind

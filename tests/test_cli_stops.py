"""A build, an export or a publish stopped halfway (SIGTERM, SIGINT, or kill -9) leaves no process
running and no partial output, and the previous output is unchanged, byte for byte.

Each command runs as a user runs it (`python -m bestbits.cli ...` in its own process), with one
step replaced by a step that says "stalled" on stdout and then waits on stdin: the test signals it
at that moment, knowing what was under way, without sleeping.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from bestbits import config
from support.cli import run_cli
from support.pipermail_server import LIST_NAME, fixture_months
from support.small_disk import tree_digest

# Runs the command with STEP (module:function) stalled after it has run once.
STALLED_COMMAND = """
import importlib, sys
module_name, function_name = sys.argv[1].split(":")
module = importlib.import_module(module_name)
owner = module
for part in function_name.split(".")[:-1]:
    owner = getattr(owner, part)
name = function_name.split(".")[-1]
original = getattr(owner, name)

def stalled(*args, **kwargs):
    result = original(*args, **kwargs)
    print("stalled", flush=True)
    sys.stdin.read()  # until the test's signal
    return result

setattr(owner, name, stalled)
from bestbits.cli import main
sys.exit(main(sys.argv[2:]))
"""
SALT = {"BESTBITS_SALT": "test-salt"}


def start_stalled(step: str, *args: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_COMMAND, step, *args], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=config.REPO_ROOT,
        env={**os.environ, **SALT})
    line = process.stdout.readline()
    if line.strip() != "stalled":
        process.kill()
        raise AssertionError(f"the command did not stall: {line!r} {process.stderr.read()[-2000:]}")
    return process


def stop(process: subprocess.Popen, signum: int) -> tuple[int, str, list[psutil.Process]]:
    """Signal the command; its status, its stderr and the processes it had started."""
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signum)
    _out, err = process.communicate(timeout=120)
    return process.returncode, err, children


def assert_all_gone(processes: list[psutil.Process]) -> None:
    _gone, alive = psutil.wait_procs(processes, timeout=30)
    for survivor in alive:  # not left behind for the rest of the run
        survivor.kill()
    assert not alive, [p.pid for p in alive]


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}.bestbits-"))


SIGNALS = [pytest.param(signal.SIGTERM, id="SIGTERM"), pytest.param(signal.SIGKILL, id="kill-9")]
# Ctrl-C reaches the build's workers too (the terminal signals the whole process group); for
# export and publish it takes the same way out as SIGTERM.
BUILD_SIGNALS = [*SIGNALS, pytest.param(signal.SIGINT, id="SIGINT")]


# -- build -----------------------------------------------------------------------------------

@pytest.fixture
def list_data(tmp_path) -> Path:
    """A data folder holding the SYNTHETIC fixture months (tests/fixtures/list/), built once."""
    data = tmp_path / "data"
    folder = data / "raw" / "list" / LIST_NAME
    folder.mkdir(parents=True)
    sources = {}
    for label, month in fixture_months().items():
        (folder / f"{label}.txt.gz").write_bytes(gzip.compress(month, mtime=0))
        sources[f"{label}.txt.gz"] = f"http://lists.example.org/pipermail/{LIST_NAME}/{label}.txt.gz"
    (folder / "sources.json").write_text(json.dumps(sources))
    result = run_cli("build", "--data-dir", str(data), "--workers", "1", env=SALT)
    assert result.returncode == 0, result.stderr
    return data


@pytest.mark.parametrize("signum", BUILD_SIGNALS)
def test_a_stopped_build_leaves_no_worker_no_temporary_and_the_previous_database(list_data,
                                                                                 signum):
    db = list_data / "bestbits.duckdb"
    before = tree_digest(db)
    # Stalled after the first parse batch is stored: its two workers are alive.
    process = start_stalled("bestbits.load.messages:_append", "build", "--data-dir",
                            str(list_data), "--full", "--workers", "2")
    status, err, started = stop(process, signum)
    assert len(started) >= 2, "the build had no parse workers running when it was stopped"
    assert_all_gone(started)
    assert tree_digest(db) == before
    temporaries = sorted(p.name for p in list_data.glob("bestbits.duckdb.tmp-*"))
    if signum == signal.SIGKILL:
        # Nothing can run after kill -9: the next build clears what it left.
        result = run_cli("build", "--data-dir", str(list_data), "--workers", "1", env=SALT)
        assert result.returncode == 0, result.stderr
        assert not list(list_data.glob("bestbits.duckdb.tmp-*"))
        return
    assert status == 128 + signum, err
    assert "Traceback" not in err and f"Stopped by {signal.Signals(signum).name}" in err
    assert temporaries == []


# -- export and publish ----------------------------------------------------------------------

@pytest.mark.parametrize("signum", SIGNALS)
def test_a_stopped_export_leaves_the_previous_export_whole(built_db, tmp_path, signum):
    out = tmp_path / "tables"
    assert run_cli("export", "--db", str(built_db), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    # Stalled after the first table's file was written and described.
    process = start_stalled("bestbits.export:_resource", "export", "--db", str(built_db),
                            "--out", str(out), "--format", "parquet")
    status, err, started = stop(process, signum)
    assert_all_gone(started)
    assert tree_digest(out) == before
    if signum == signal.SIGKILL:
        assert leftovers(tmp_path, "tables")  # the killed run's folder, beside the export
        result = run_cli("export", "--db", str(built_db), "--out", str(out))
        assert result.returncode == 0, result.stderr
    else:
        assert status == 128 + signum and "Traceback" not in err, err
    assert leftovers(tmp_path, "tables") == []


@pytest.mark.parametrize("signum", SIGNALS)
def test_a_stopped_publish_leaves_the_previous_edition_whole(built_db, tmp_path, signum):
    out = tmp_path / "site"
    assert run_cli("publish", "--db", str(built_db), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    # Stalled after the first page was written.
    process = start_stalled("bestbits.publish:_write_text", "publish", "--db", str(built_db),
                            "--out", str(out))
    status, err, started = stop(process, signum)
    assert_all_gone(started)
    assert tree_digest(out) == before
    if signum == signal.SIGKILL:
        assert leftovers(tmp_path, "site")
        result = run_cli("publish", "--db", str(built_db), "--out", str(out))
        assert result.returncode == 0, result.stderr
    else:
        assert status == 128 + signum and "Traceback" not in err, err
    assert leftovers(tmp_path, "site") == []


def test_a_killed_publish_of_an_older_version_is_not_mistaken_for_a_users_folder(built_db,
                                                                                tmp_path):
    """Before output markers, a killed publish left `.site.XXXXXXXX` (mkdtemp) folders: they are
    indistinguishable from a user's, so they are left alone."""
    out = tmp_path / "site"
    old_style = tmp_path / ".site.k2j4x9qa"
    (old_style / "data").mkdir(parents=True)
    shutil.copyfile(built_db, old_style / "data" / "copy.duckdb")
    assert run_cli("publish", "--db", str(built_db), "--out", str(out)).returncode == 0
    assert (old_style / "data" / "copy.duckdb").exists()

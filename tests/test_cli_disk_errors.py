"""A full disk, a read-only file system and a folder the user may not write end build, export and
publish with one line that says what to do and status 2, and leave the previous output whole.

The disks are real: a tmpfs mounted for the test, just large enough for the previous output, or
remounted read-only, or owned by `nobody` and written by root without its power to write any
folder (root only, as in CI; elsewhere skipped with the reason)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bestbits import config
from support.cli import run_cli
from support.small_disk import (
    remount_read_only,
    size_of,
    tmpfs,
    tree_digest,
    without_override,
)

NOBODY = 65534
SALT = {"BESTBITS_SALT": "test-salt"}


@pytest.fixture(scope="module")
def previous(built_db, tmp_path_factory) -> dict[str, Path]:
    """What an earlier run of each command wrote: the database, an export, an edition."""
    folder = tmp_path_factory.mktemp("previous")
    for command, name in (("export", "tables"), ("publish", "site")):
        result = run_cli(command, "--db", str(built_db), "--out", str(folder / name))
        assert result.returncode == 0, result.stderr
    return {"build": built_db, "export": folder / "tables", "publish": folder / "site"}


def arguments(command: str, disk: Path, db: Path) -> tuple[list[str], Path]:
    """The command line writing onto DISK, and the output it would replace there."""
    if command == "build":
        target = disk / "bestbits.duckdb"
        return ["build", "--data-dir", str(disk), "--db", str(target)], target
    target = disk / ("tables" if command == "export" else "site")
    return [command, "--db", str(db), "--out", str(target)], target


def put_previous(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copyfile(source, target)


def assert_one_line_and_unchanged(result, says: str, target: Path, before: dict) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("bestbits ")]
    assert len(errors) == 1 and errors[0] == lines[-1], result.stderr
    assert says in errors[0], errors[0]
    assert tree_digest(target) == before
    left = [p.name for p in target.parent.iterdir()
            if ".bestbits-" in p.name or ".tmp-" in p.name]
    assert left == [], left


@pytest.mark.parametrize("command", ["build", "export", "publish"])
def test_a_full_disk_is_one_line_and_the_previous_output_stays(previous, built_db, tmp_path,
                                                              command):
    # Room for the previous output and a third of it again: not for a second copy.
    room = size_of(previous[command]) * 4 // 3
    with tmpfs(tmp_path / "disk", room) as disk:
        args, target = arguments(command, disk, built_db)
        put_previous(previous[command], target)
        before = tree_digest(target)
        result = run_cli(*args, env=SALT)
        assert_one_line_and_unchanged(result, "no space is left on the device", target, before)


@pytest.mark.parametrize("command", ["build", "export", "publish"])
def test_a_read_only_disk_is_one_line_and_the_previous_output_stays(previous, built_db, tmp_path,
                                                                   command):
    with tmpfs(tmp_path / "disk", 64 << 20) as disk:
        args, target = arguments(command, disk, built_db)
        put_previous(previous[command], target)
        before = tree_digest(target)
        remount_read_only(disk)
        result = run_cli(*args, env=SALT)
        assert_one_line_and_unchanged(result, "read-only", target, before)


@pytest.mark.parametrize("command", ["build", "export", "publish"])
def test_a_folder_the_user_may_not_write_is_one_line_and_the_previous_output_stays(
        previous, tmp_path, command):
    # The folder belongs to `nobody`, and may be read but not written by others.
    with tmpfs(tmp_path / "disk", 64 << 20, mode="0755", owner=NOBODY) as disk:
        args, target = arguments(command, disk, previous["build"])
        put_previous(previous[command], target)
        before = tree_digest(target)
        result = subprocess.run(
            without_override([sys.executable, "-m", "bestbits.cli", *args]), capture_output=True,
            text=True, cwd=config.REPO_ROOT, timeout=300, env={**os.environ, **SALT})
        assert_one_line_and_unchanged(result, "permission denied", target, before)

"""`bestbits export --out` and `bestbits publish --out` write only folders they wrote themselves
(bestbits/output_folders.py): never a user's folder, a file, or the curated record; a previous
output is replaced whole and at once; leftovers of killed runs go, a user's siblings stay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bestbits import config, output_folders
from bestbits.output_folders import MARKER, OutputFolder, OutputRefused
from support.cli import run_cli
from support.small_disk import tree_digest


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    return int(process.stdout)


def write_output(target: Path, files: dict[str, str], command: str = "export") -> None:
    folder = OutputFolder(target, command)
    work = folder.start()
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    folder.finish()


def refused_without_change(target: Path, command: str = "export") -> str:
    before = tree_digest(target) if target.exists() else None
    with pytest.raises(OutputRefused) as refused:
        OutputFolder(target, command).check()
    assert (tree_digest(target) if target.exists() else None) == before
    return str(refused.value)


# -- the folder rules ------------------------------------------------------------------------

def test_a_new_folder_is_written_with_a_marker_listing_every_file(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "x\n1\n", "sub/b.csv": "y\n2\n"})
    marker = json.loads((out / MARKER).read_text())
    assert marker["command"] == "export"
    assert set(marker["files"]) == {"a.csv", "sub/b.csv"}
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


def test_an_output_it_wrote_is_replaced_whole(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"old.csv": "1", "sub/old.csv": "2"})
    write_output(out, {"new.csv": "3"})
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "new.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


def test_an_empty_folder_may_be_written(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    write_output(out, {"a.csv": "1"})
    assert (out / "a.csv").read_text() == "1"


def test_a_users_folder_a_file_and_a_stray_edition_json_are_refused(tmp_path):
    users = tmp_path / "thesis"
    users.mkdir()
    (users / "chapter1.tex").write_text("keep me")
    assert "is not an export" in refused_without_change(users)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me")
    assert "is not a folder" in refused_without_change(a_file)
    stray = tmp_path / "looks-like-an-edition"
    (stray / "mine").mkdir(parents=True)
    (stray / "edition.json").write_text("{}")
    (stray / "mine" / "draft.txt").write_text("keep me")
    assert "is not an edition" in refused_without_change(stray, "publish")


def test_an_output_holding_a_users_file_or_folder_or_a_changed_file_is_refused(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "1"})
    (out / "my-notes").mkdir()
    assert "my-notes/" in refused_without_change(out)
    (out / "my-notes").rmdir()
    (out / "a.csv").write_text("edited by hand")
    assert "a.csv" in refused_without_change(out)


def test_an_export_is_not_replaced_by_publish_nor_an_edition_by_export(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "1"}, command="export")
    assert "bestbits export" in refused_without_change(out, "publish")


@pytest.mark.parametrize("inside", ["data", "data/reference", "data/reference/events.csv",
                                    "data/new-export"])
def test_the_curated_record_is_refused(inside):
    target = config.REPO_ROOT / inside
    with pytest.raises(OutputRefused, match="curated record"):
        OutputFolder(target, "export").check()


def test_the_data_folder_and_what_it_keeps_are_refused_but_a_new_folder_in_it_is_not(tmp_path):
    for inside in ("", "raw", "raw/site", "local", "reference"):
        with pytest.raises(OutputRefused):
            OutputFolder(tmp_path / inside, "export", data_dir=tmp_path).check()
    OutputFolder(tmp_path / "exports-2024", "export", data_dir=tmp_path).check()


def test_a_file_added_while_writing_stops_the_replacement(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "1"})
    folder = OutputFolder(out, "export")
    work = folder.start()
    (work / "b.csv").write_text("2")
    (out / "arrived.txt").write_text("a user's file")
    with pytest.raises(OutputRefused, match="arrived.txt"):
        folder.finish()
    folder.abandon()
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "a.csv", "arrived.txt"])


# -- leftovers of killed runs ----------------------------------------------------------------

def test_leftovers_of_dead_runs_go_and_a_users_siblings_stay(tmp_path):
    out = tmp_path / "site"
    write_output(out, {"index.html": "1"}, command="publish")
    dead = dead_pid()
    partial = tmp_path / f".site.bestbits-partial-{dead}-0123abcd"
    (partial / "data").mkdir(parents=True)
    (partial / "data" / "events.csv").write_text("half")
    alive = tmp_path / f".site.bestbits-partial-{os.getppid()}-0123abcd"  # a running process
    alive.mkdir()
    users = [tmp_path / ".site.old", tmp_path / ".site.abcdefgh", tmp_path / "site.bak"]
    for folder in users:
        folder.mkdir()
        (folder / "keep.txt").write_text("a user's")
    write_output(out, {"index.html": "2"}, command="publish")
    assert not partial.exists()
    assert alive.exists()
    for folder in users:
        assert (folder / "keep.txt").read_text() == "a user's"


def test_a_previous_output_set_aside_by_a_killed_run_is_put_back(tmp_path):
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "previous"})
    before = tree_digest(out)
    dead = dead_pid()
    # Killed between its two renames (where the system cannot swap folders in one step).
    out.rename(tmp_path / f".tables.bestbits-old-{dead}-0123abcd")
    (tmp_path / f".tables.bestbits-partial-{dead}-0123abcd").mkdir()
    output_folders.remove_leftovers(out)
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


def test_without_an_atomic_swap_the_previous_output_goes_only_after_the_new_one_is_in(
        tmp_path, monkeypatch):
    monkeypatch.setattr(output_folders, "_exchange", lambda _a, _b: False)
    out = tmp_path / "tables"
    write_output(out, {"a.csv": "1"})
    write_output(out, {"b.csv": "2"})
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "b.csv"])
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]


# -- the commands ----------------------------------------------------------------------------

def test_publish_over_a_stray_edition_json_and_a_users_folder_keeps_both(built_db, tmp_path):
    out = tmp_path / "site"
    (out / "my-photos").mkdir(parents=True)
    (out / "my-photos" / "a.jpg").write_bytes(b"\xff\xd8 a user's photo")
    (out / "edition.json").write_text("{}")
    before = tree_digest(out)
    result = run_cli("publish", "--db", str(built_db), "--out", str(out))
    assert result.returncode == 2
    assert "is not an edition" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_digest(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_publish_keeps_a_users_dot_old_sibling_when_it_replaces_its_edition(built_db, tmp_path):
    out = tmp_path / "site"
    assert run_cli("publish", "--db", str(built_db), "--out", str(out)).returncode == 0
    sibling = tmp_path / ".site.old"
    sibling.mkdir()
    (sibling / "keep.txt").write_text("a user's")
    result = run_cli("publish", "--db", str(built_db), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (sibling / "keep.txt").read_text() == "a user's"
    assert (out / MARKER).exists() and (out / "edition.json").exists()


def test_export_into_the_curated_record_is_refused_and_changes_nothing(built_db):
    for target in ("data/reference", "data", "data/reference/events.csv"):
        reference = config.REPO_ROOT / "data"
        before = tree_digest(reference)
        result = run_cli("export", "--db", str(built_db), "--out", target)
        assert result.returncode == 2, (target, result.stdout)
        assert "curated record" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert tree_digest(reference) == before


def test_export_into_the_configured_data_folder_is_refused(built_db, tmp_path):
    (tmp_path / "domains.csv").write_text("domain\n")
    result = run_cli("export", "--db", str(built_db), "--out", str(tmp_path),
                     env={"BESTBITS_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "data folder" in result.stderr
    assert (tmp_path / "domains.csv").read_text() == "domain\n"


def test_export_onto_a_file_or_a_users_folder_is_one_line_and_status_2(built_db, tmp_path):
    a_file = tmp_path / "tables.csv"
    a_file.write_text("mine")
    users = tmp_path / "thesis"
    users.mkdir()
    (users / "chapter1.tex").write_text("keep me")
    for target in (a_file, users):
        before = tree_digest(target)
        result = run_cli("export", "--db", str(built_db), "--out", str(target))
        assert result.returncode == 2, result.stdout
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert tree_digest(target) == before


def test_exporting_again_replaces_the_previous_export(built_db, tmp_path):
    out = tmp_path / "tables"
    assert run_cli("export", "--db", str(built_db), "--out", str(out)).returncode == 0
    first = tree_digest(out)
    result = run_cli("export", "--db", str(built_db), "--out", str(out), "--format", "parquet")
    assert result.returncode == 0, result.stderr
    assert not list(out.glob("*.csv")) and list(out.glob("*.parquet"))
    assert first != tree_digest(out)
    assert [p.name for p in tmp_path.iterdir()] == ["tables"]

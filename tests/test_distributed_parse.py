"""The list's parse as a Dask job (issue 20): on the real peer files (mbox and pipermail files of
four other projects), a LocalCluster's parse loaded by `build --from-parsed` gives the same
tables as the single-machine build."""

from __future__ import annotations

import pytest
from test_build_incremental import contents

from bestbits.load.build import build
from bestbits.load.loader import InputError
from scrapers.collect.mailing_list import import_mbox
from support.peer_data import peer_data_dir, peer_mbox_files, skip_reason

pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed here")


@pytest.fixture
def peer_lists(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "distributed-test")
    root = peer_data_dir()
    if root is None:
        pytest.skip(skip_reason("perceval"))
    data = tmp_path / "data"
    for folder, files in peer_mbox_files(root).items():
        import_mbox(files, folder, data)
    return data


def test_the_dask_parse_gives_the_tables_of_the_single_machine_build(peer_lists, tmp_path):
    from bestbits.load.distributed_parse import parse_list

    single = tmp_path / "single.duckdb"
    build(peer_lists, single, progress=lambda _m: None, workers=1)
    job = parse_list(peer_lists, tmp_path / "parsed", workers=2, progress=lambda _m: None)
    assert job.workers == 2 and job.messages > 100
    distributed = tmp_path / "distributed.duckdb"
    build(peer_lists, distributed, progress=lambda _m: None, from_parsed=job.out)
    expected, got = contents(single), contents(distributed)
    assert expected["messages"] and expected.keys() == got.keys()
    for table in expected:
        assert got[table] == expected[table], table


def test_rows_parsed_with_another_salt_are_refused(peer_lists, tmp_path, monkeypatch):
    from bestbits.load.distributed_parse import parse_list

    job = parse_list(peer_lists, tmp_path / "parsed", workers=1, progress=lambda _m: None)
    monkeypatch.setenv("BESTBITS_SALT", "another-salt")
    with pytest.raises(InputError, match="another parser, forum rules, salt"):
        build(peer_lists, tmp_path / "other.duckdb", progress=lambda _m: None,
              from_parsed=job.out)

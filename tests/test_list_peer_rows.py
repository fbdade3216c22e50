"""The peer files (real mbox and pipermail files of four other projects) give the same rows as
the list reader gave before it was rewritten to stream (issue 10): the digests in
tests/fixtures/list/peer_snapshot.json were written by the earlier reader."""

from __future__ import annotations

import pytest

from bestbits.load.build import build
from scrapers.collect.mailing_list import import_mbox
from support.peer_data import peer_data_dir, peer_mbox_files, read_snapshot, table_digests


def build_peer_lists(data):
    root = peer_data_dir()
    if root is None:
        pytest.skip("no peer data ($BESTBITS_PEER_DATA or ../shared/peer-data): real files "
                    "from other projects' test suites")
    for folder, files in peer_mbox_files(root).items():
        import_mbox(files, folder, data)
    db = data / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None)
    import duckdb

    return duckdb.connect(str(db), read_only=True)


def test_the_peer_files_give_the_same_rows_as_before(tmp_path, monkeypatch):
    monkeypatch.setenv("BESTBITS_SALT", "peer-snapshot")
    con = build_peer_lists(tmp_path)
    try:
        assert table_digests(con) == read_snapshot()["tables"]
    finally:
        con.close()

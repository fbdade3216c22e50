"""The raw store's list layout: what a collector writes there is what the build's reader lists,
and the store's bookkeeping is never taken for an input. (Every file here is synthetic.)"""

from __future__ import annotations

from pathlib import Path

from bestbits.load.list_inputs import list_inputs
from scrapers.raw_store import list_store


def test_what_the_writer_stores_the_reader_lists_with_its_address(tmp_path: Path) -> None:
    folder = list_store.ListFolder(list_store.list_folder(tmp_path, "testlist"))
    folder.write("2012-August.txt.gz", b"\x1f\x8bsynthetic", "https://lists.example.org/a.txt.gz")
    folder.write(list_store.html_page("2012-September", "date.html"), b"<html></html>",
                 "https://lists.example.org/2012-September/date.html")
    folder.write(list_store.html_page("2012-September", "000001.html"), b"<html></html>",
                 "https://lists.example.org/2012-September/000001.html")
    imported = list_store.imported_folder(tmp_path, "testlist")
    imported.mkdir()
    (imported / "caucus.mbox").write_bytes(b"From a  Mon Aug 20 08:00:00 2012\n")
    inputs = {item.source: item for item in list_inputs(tmp_path)}
    assert list(inputs) == ["raw/list/testlist/2012-August.txt.gz",
                            "raw/list/testlist/imported/caucus.mbox",
                            "raw/list/testlist/html/2012-September/"]
    assert inputs["raw/list/testlist/2012-August.txt.gz"].source_url == (
        "https://lists.example.org/a.txt.gz")
    assert inputs["raw/list/testlist/2012-August.txt.gz"].month_hint == "2012-08"
    [(page, url)] = inputs["raw/list/testlist/html/2012-September/"].pages
    assert page.name == "000001.html" and url.endswith("/000001.html")  # date.html is no message
    assert not list(folder.folder.rglob("*.part"))


def test_bookkeeping_half_written_files_and_the_web_archives_store_are_no_inputs(
        tmp_path: Path) -> None:
    folder = list_store.list_folder(tmp_path, "testlist")
    folder.mkdir(parents=True)
    for name in ("sources.json", "README.md", "2012-May.txt.gz.part", ".lock", "2012-May.txt"):
        (folder / name).write_bytes(b"synthetic")
    wayback = tmp_path / "raw" / list_store.WAYBACK_SUBDIR
    wayback.mkdir(parents=True)
    (wayback / "list-wayback-00001.warc.gz").write_bytes(b"synthetic")
    assert [p.name for p in list_store.mbox_files(folder)] == ["2012-May.txt"]
    assert list_store.list_folders(tmp_path) == [folder]
    assert list_store.in_list_folders(folder / "2012-May.txt", tmp_path)
    assert not list_store.in_list_folders(wayback / "list-wayback-00001.warc.gz", tmp_path)


def test_a_month_label_is_read_from_a_text_archives_name() -> None:
    assert list_store.month_label("2012-August.txt.gz") == "2012-August"
    assert list_store.month_label("2012-August.txt") == "2012-August"
    assert list_store.month_label("caucus.mbox") is None

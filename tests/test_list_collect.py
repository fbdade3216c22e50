"""`bestbits collect list` against real servers on loopback: a pipermail look-alike, and pywb."""

from __future__ import annotations

import json

import pytest

from bestbits import config
from bestbits.load.build import build
from scrapers.collect.mailing_list import (
    ListCollectError,
    collect_list,
    import_mbox,
    month_file_name,
)
from scrapers.raw_store.warc_store import iter_index
from support.archive_servers import free_port, pywb_server
from support.cli import run_cli
from support.pipermail_server import LIST_NAME, archive_files, serve, write_archive
from support.warc_fixtures import write_warc

LABELS = {"2012-August", "2012-September", "2012-October", "2022-January"}


def no_sleep(_seconds: float) -> None:
    pass


def collect(url: str, data, **options):
    options.setdefault("live_rate", 0)
    return collect_list(url, data, show_progress=False, sleep=no_sleep, **options)


def list_folder(data):
    return config.raw_dir(data) / "list" / LIST_NAME


def built_counts(data, monkeypatch) -> tuple[int, int, int]:
    monkeypatch.setenv("BESTBITS_SALT", "test-salt")
    summary = build(data, data / "bestbits.duckdb", progress=lambda _m: None)
    lists = [i for i in summary.inputs if i[1] == "list"]
    return tuple(sum(i[k] for i in lists) for k in (2, 3, 4))


@pytest.mark.network
def test_collects_every_month_from_a_live_server_then_builds(tmp_path, monkeypatch):
    path = write_archive(tmp_path / "site")
    data = tmp_path / "data"
    with serve(tmp_path / "site") as server:
        summary = collect(server.base + path, data)
    assert summary.via == "live" and summary.months_listed == 4
    assert summary.text_downloaded == 4 and not summary.failures
    assert {p.name for p in list_folder(data).glob("*.txt.gz")} == {f"{m}.txt.gz" for m in LABELS}
    sources = json.loads((list_folder(data) / "sources.json").read_text())
    assert sources["2012-August.txt.gz"] == f"{server.base}{path}2012-August.txt.gz"
    assert server.user_agents == {config.USER_AGENT}
    assert not list(list_folder(data).rglob("*.part"))
    assert built_counts(data, monkeypatch) == (12, 10, 2)


@pytest.mark.network
def test_a_rerun_fetches_only_what_is_missing(tmp_path):
    path = write_archive(tmp_path / "site")
    data = tmp_path / "data"
    with serve(tmp_path / "site") as server:
        server.faults[f"{path}2012-September.txt.gz"] = 503
        first = collect(server.base + path, data)
        assert first.text_downloaded == 3
        assert [url.rsplit("/", 1)[1] for url, _ in first.failures] == ["2012-September.txt.gz"]
        server.faults.clear()
        server.requests.clear()
        second = collect(server.base + path, data)
    assert second.text_downloaded == 1 and second.text_skipped == 3 and not second.failures
    assert server.requests == [path, f"{path}2012-September.txt.gz"]


@pytest.mark.network
def test_months_without_a_text_archive_are_read_from_html_pages(tmp_path, monkeypatch):
    path = write_archive(tmp_path / "site", text=False)
    data = tmp_path / "data"
    with serve(tmp_path / "site") as server:
        summary = collect(server.base + path, data)
    assert summary.html_months == 4 and summary.pages_downloaded == 12  # October is empty
    assert (list_folder(data) / "html" / "2012-August" / "000001.html").is_file()
    assert built_counts(data, monkeypatch) == (12, 10, 2)


def archive_records(origin: str, *, text: bool, pages: bool):
    """WARC records for the synthetic archive as if captured at `origin` in 2019."""
    records = []
    for relative, body in archive_files(text=text, pages=pages).items():
        mime = "application/x-gzip" if relative.endswith(".gz") else "text/html; charset=utf-8"
        records.append((origin + relative, "20190601120000", 200, {"Content-Type": mime}, body))
    return records


@pytest.mark.network
def test_html_only_variant_via_wayback_from_pywb(tmp_path, monkeypatch):
    origin = "http://lists.example.org/pipermail/testlist/"
    warc = write_warc(tmp_path / "list.warc.gz", archive_records(origin, text=False, pages=True))
    data = tmp_path / "data"
    with pywb_server(tmp_path, [warc]) as root:
        summary = collect(origin, data, via_wayback=True, archive=root,
                          archive_options={"cdx_rate": 0, "fetch_rate": 0})
    assert summary.via == f"web archive ({root})", summary.text()
    assert summary.html_months == 4 and summary.pages_downloaded == 12, summary.text()
    assert not summary.failures
    stored = list(iter_index(data, "list/wayback"))
    assert len(stored) == 1 + 4 + 12  # the index page, four date.html, twelve messages
    sources = json.loads((list_folder(data) / "sources.json").read_text())
    assert sources["html/2012-August/000001.html"].startswith(root)
    assert built_counts(data, monkeypatch) == (12, 10, 2)


@pytest.mark.network
def test_dead_live_server_falls_back_to_the_web_archive(tmp_path, monkeypatch):
    origin = f"http://127.0.0.1:{free_port()}/pipermail/testlist/"  # nothing listens there
    warc = write_warc(tmp_path / "list.warc.gz", archive_records(origin, text=True, pages=False))
    data = tmp_path / "data"
    with pywb_server(tmp_path, [warc]) as root:
        summary = collect(origin, data, archive=root,
                          archive_options={"cdx_rate": 0, "fetch_rate": 0})
        again = collect(origin, data, archive=root,
                        archive_options={"cdx_rate": 0, "fetch_rate": 0})
    assert "fell back to the web archive" in summary.notes[0]
    assert summary.text_downloaded == 4 and not summary.failures, summary.text()
    assert again.text_downloaded == 0 and again.text_skipped == 4
    assert {p.name for p in list_folder(data).glob("*.txt.gz")} == {f"{m}.txt.gz" for m in LABELS}
    assert built_counts(data, monkeypatch) == (12, 10, 2)


def test_month_file_name_trusts_the_bytes():
    assert month_file_name("http://x/l/2012-May.txt.gz", b"\x1f\x8b...") == "2012-May.txt.gz"
    # The server un-gzipped it in transit: store plain text under the .txt name.
    assert month_file_name("http://x/l/2012-May.txt.gz", b"From a ...") == "2012-May.txt"
    assert month_file_name("http://x/l/2012-May.txt", b"From a ...") == "2012-May.txt"


def test_import_mbox_checks_its_input(tmp_path):
    good = tmp_path / "governance.mbox"
    good.write_bytes(b"From a  Mon Aug 20 08:00:00 2012\nFrom: a@example.org\n\nhi\n")
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n")
    with pytest.raises(ListCollectError, match="does not look like an mbox"):
        import_mbox([good, bad], "governance", tmp_path / "data")
    assert not (tmp_path / "data" / "raw" / "list" / "governance" / "imported").exists()
    summary = import_mbox([good], "governance", tmp_path / "data")
    assert summary.files == [("governance.mbox", 1)]


def test_commands_have_help_and_clear_errors(tmp_path):
    for command in ("list", "mbox"):
        result = run_cli("collect", command, "--help", timeout=60)
        assert result.returncode == 0 and "--data-dir" in result.stdout
    assert "--via-wayback" in run_cli("collect", "list", "--help", timeout=60).stdout
    missing = run_cli("collect", "mbox", str(tmp_path / "nope.mbox"), "--data-dir",
                      str(tmp_path), timeout=60)
    assert missing.returncode == 1 and "no such file" in missing.stderr

"""Write small SYNTHETIC WARC files for tests: response records built with warcio."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# (url, timestamp14, status, headers, body)
WarcFixtureRecord = tuple[str, str, int | str, Mapping[str, str], bytes]


def _warc_date(timestamp: str) -> str:
    t = timestamp.ljust(14, "0")
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"


def write_warc(path: Path, records: Iterable[WarcFixtureRecord], *, gzip: bool = True) -> Path:
    """Write one WARC response record per (url, timestamp14, status, headers, body).

    A Content-Type header defaults to text/html; Content-Length is set from the body.
    The file is gzipped per record when `path` ends in .gz (or `gzip` is True).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    compress = gzip and path.name.endswith(".gz")
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for url, timestamp, status, headers, body in records:
            code = int(status)
            try:
                phrase = HTTPStatus(code).phrase
            except ValueError:
                phrase = "Unknown"
            pairs = [(k, v) for k, v in dict(headers).items() if k.lower() != "content-length"]
            if not any(k.lower() == "content-type" for k, _ in pairs):
                pairs.insert(0, ("Content-Type", "text/html; charset=utf-8"))
            pairs.append(("Content-Length", str(len(body))))
            http_headers = StatusAndHeaders(f"{code} {phrase}", pairs, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=http_headers,
                warc_headers_dict={"WARC-Date": _warc_date(timestamp)})
            writer.write_record(record)
    return path


SITE_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "site" / "captures.json"


def site_fixture_records(path: Path = SITE_FIXTURE) -> list[WarcFixtureRecord]:
    """The synthetic site captures of tests/fixtures/site/captures.json as write_warc records."""
    import json

    return [(c["url"], c["timestamp"], c["status"], c["headers"], c["body"].encode("utf-8"))
            for c in json.loads(Path(path).read_text(encoding="utf-8"))]

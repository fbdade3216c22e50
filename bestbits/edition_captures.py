"""The edition's captures: a redacted copy of each stored page of the site, packed as one WACZ.

An edition is published; the WARC files under DATA_DIR/raw/site/ are not: they hold the pages
as the site served them, e-mail addresses and all. So `captures.wacz` carries a copy made for
the edition of what it shows of each capture: the page (HTML and other text: stylesheets,
scripts, feeds) and redirects, every text, header and address through the privacy gate
(bestbits/privacy/addresses.py), the WARC digests computed again by warcio. Requests, images,
PDFs and other binary payloads are left out (the gate cannot read them), and the publish output
and the WACZ's description say how many.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bestbits import config
from bestbits.privacy import redact, redact_html, redact_url

# Payloads the gate reads as text; anything else is left out of the copy.
TEXT_TYPES = ("text/", "application/xhtml+xml", "application/xml", "application/json",
              "application/javascript", "application/x-javascript", "application/rss+xml",
              "application/atom+xml", "application/ld+json")
# Headers the copy does not carry: how the body travelled (the copy is decoded and re-counted),
# and cookies, which are the visitor's, not the page's.
DROPPED_HEADERS = frozenset({"content-length", "content-encoding", "transfer-encoding",
                             "connection", "keep-alive", "set-cookie", "cookie"})
ADDRESS_HEADERS = frozenset({"location", "content-location", "link", "refresh"})


@dataclass
class CopyCounts:
    kept: int = 0        # responses copied, redacted
    left_out: int = 0    # binary responses, requests, metadata: not in the copy


class CapturesError(Exception):
    """The captures could not be packed; `bestbits publish` says it as a PublishError."""


def write_captures_wacz(data_dir: Path, target: Path, identifier: str, data,
                        say: Callable[[str], None]) -> bool:
    """Write TARGET (captures.wacz) from the redacted copies of DATA_DIR/raw/site/*.warc.gz;
    False, and nothing written, when there is no capture to pack."""
    warcs = sorted((config.raw_dir(data_dir) / "site").glob("*.warc.gz"))
    if not warcs:
        return False
    with tempfile.TemporaryDirectory(prefix=".captures-", dir=target.parent) as work:
        copy = Path(work) / "captures-redacted.warc.gz"
        counts = redacted_copy(warcs, copy)
        if not counts.kept:
            return False
        say(f"Packing {counts.kept} captures into captures.wacz, addresses redacted "
            f"({counts.left_out} requests and binary records left out)")
        _pack(copy, target, identifier, data, counts)
    return True


def redacted_copy(warcs: list[Path], target: Path) -> CopyCounts:
    """Every response record of WARCS, redacted, into one gzipped WARC file TARGET."""
    counts = CopyCounts()
    with open(target, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for warc in warcs:
            with open(warc, "rb") as handle:
                for record in ArchiveIterator(handle):
                    copy = _redacted_record(record, writer)
                    if copy is None:
                        counts.left_out += 1
                        continue
                    writer.write_record(copy)
                    counts.kept += 1
    return counts


def _redacted_record(record, writer: WARCWriter):
    """A new response record of what the edition shows of RECORD, or None to leave it out."""
    http = record.http_headers
    if record.rec_type != "response" or http is None:
        return None
    status = http.get_statuscode() or ""
    content_type = (http.get_header("Content-Type") or "").strip()
    redirect = status.startswith("3")
    if not redirect and not content_type.lower().startswith(TEXT_TYPES):
        return None
    headers = []
    for name, value in http.headers:
        lowered = name.lower()
        if lowered in DROPPED_HEADERS or (lowered == "content-type" and not redirect):
            continue
        headers.append((name, redact_url(value) if lowered in ADDRESS_HEADERS else redact(value)))
    payload = b""
    if not redirect:
        from scrapers.parse.mbox import decode_bytes

        charset = next((part.split("=", 1)[1].strip(" \"'") for part in content_type.split(";")
                        if part.strip().lower().startswith("charset=")), None)
        text = decode_bytes(record.content_stream().read(), charset)
        mime = content_type.split(";")[0].strip() or "text/html"
        redacted = redact_html(text) if "html" in mime.lower() else redact(text)
        payload = redacted.encode("utf-8")
        headers.append(("Content-Type", f"{mime}; charset=utf-8"))
    headers.append(("Content-Length", str(len(payload))))
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    return writer.create_warc_record(
        redact_url(uri), "response", payload=io.BytesIO(payload),
        http_headers=StatusAndHeaders(redact(http.statusline or status), headers,
                                      protocol=http.protocol or "HTTP/1.1"),
        warc_headers_dict={"WARC-Date": record.rec_headers.get_header("WARC-Date")})


def _wacz_pages(data, path: Path) -> bool:
    """pages.jsonl for the WACZ: the captures the parsed events and statements were read from, so
    that ReplayWeb.page lists them by what they hold. False when there are none."""
    captures = data.query("site_item_captures")
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages",
                         "title": "Captures behind the parsed rows"})]
    for row in captures.where(preferred=True):
        ts = str(row.timestamp).ljust(14, "0")
        lines.append(json.dumps({
            "url": row.url, "ts": f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:14]}Z",
            "title": f"{row.item_type} {row.item_id}"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) > 1


def _pack(warc: Path, target: Path, identifier: str, data, counts: CopyCounts) -> None:
    from wacz.main import main as wacz_main

    pages = warc.with_name("pages.jsonl")
    listing = ["--pages", str(pages)] if _wacz_pages(data, pages) else ["--detect-pages"]
    chatter = io.StringIO()  # py-wacz prints its progress; shown only when it fails
    with contextlib.redirect_stdout(chatter):
        code = wacz_main(["create", "-o", str(target), *listing,
                          "--title", f"Best Bits archive, edition {identifier}: captures",
                          "--desc", f"Copies of the {counts.kept} captures of bestbits.net behind "
                                    "this edition, with e-mail addresses redacted (text only; "
                                    f"{counts.left_out} requests and binary records left out).",
                          str(warc)])
    if code not in (0, None) or not target.exists():
        raise CapturesError(f"wacz could not pack the captures (exit {code}): "
                           f"{chatter.getvalue()[-500:]}")


__all__ = ["CapturesError", "redacted_copy", "write_captures_wacz"]

"""A SYNTHETIC pipermail archive for tests, written from tests/fixtures/list/*.mbox, served locally.

`write_archive(root)` lays out what Mailman 2 serves under /pipermail/<list>/: the index
page, each month's `YYYY-Month.txt.gz`, `date.html` and one `NNNNNN.html` page per message
(numbered in archive order, which is not date order, as in the real archive).
`serve(root)` serves a folder over http on 127.0.0.1 with a free port, logging requests and
answering chosen paths with an error status.
"""

from __future__ import annotations

import contextlib
import email
import gzip
import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC
from email.policy import compat32
from email.utils import parsedate_to_datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from scrapers.parse.mbox import decode_bytes, decode_header_text, parse_from_line, split_mbox

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "list"
LIST_NAME = "testlist"


def fixture_months() -> dict[str, bytes]:
    """{'2012-August': mbox bytes, ...} in the order pipermail's index lists them (newest first)."""
    months = {p.stem: p.read_bytes() for p in FIXTURE_DIR.glob("*.mbox")}
    return dict(sorted(months.items(), reverse=True))


@dataclass
class PageMessage:
    number: int
    subject: str
    name: str
    obfuscated: str
    date_line: str
    message_id: str | None
    body: str


def _page_messages(months: dict[str, bytes]) -> dict[str, list[PageMessage]]:
    """Messages per month, numbered across the archive in file order (oldest month first)."""
    number = 0
    result: dict[str, list[PageMessage]] = {}
    for label in sorted(months, key=_month_sort_key):
        result[label] = []
        for _offset, raw in split_mbox(months[label]):
            number += 1
            from_line, _, rest = raw.partition(b"\n")
            message = email.message_from_bytes(rest, policy=compat32)
            author = decode_header_text(message.get("From", ""))
            name, obfuscated = "", ""
            if "(" in author:
                obfuscated, _, name = author.partition(" (")
                name = name.rstrip(")")
            elif "<" in author:
                name, _, obfuscated = author.partition(" <")
                name, obfuscated = name.strip('"'), obfuscated.rstrip(">")
            try:
                moment = parsedate_to_datetime(message.get("Date", ""))
                moment = moment.astimezone(UTC).replace(tzinfo=None)
            except (TypeError, ValueError, IndexError):
                # Pipermail shows the time it received a message when the Date is unreadable.
                moment = parse_from_line(from_line)
            payload = message.get_payload(decode=True) or b""
            ids = (message.get("Message-ID") or "").strip()
            result[label].append(PageMessage(
                number=number, subject=decode_header_text(message.get("Subject", "")),
                name=name, obfuscated=obfuscated,
                date_line=moment.strftime("%a %b %d %H:%M:%S UTC %Y") if moment else "",
                message_id=ids or None, body=decode_bytes(payload, message.get_content_charset())))
    return result


def _month_sort_key(label: str) -> tuple[int, int]:
    from scrapers.parse.pipermail_html import MONTH_NAMES

    year, month = label.split("-")
    return int(year), MONTH_NAMES.index(month)


def message_page(list_name: str, message: PageMessage) -> bytes:
    reply = f"mailto:{list_name}%40lists.example.org?Subject={quote('Re: ' + message.subject)}"
    if message.message_id:
        reply += f"&In-Reply-To={quote(message.message_id)}"
    name_html = f"<B>{html.escape(message.name)}</B>\n" if message.name else ""
    sender = (f'<A HREF="{html.escape(reply)}" TITLE="{html.escape(message.subject)}">'
              f"{html.escape(message.obfuscated)}\n       </A><BR>\n") if message.obfuscated else ""
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<HTML>
 <HEAD>
   <TITLE> {html.escape(message.subject)}
   </TITLE>
   <META http-equiv="Content-Type" content="text/html; charset=utf-8">
 </HEAD>
 <BODY BGCOLOR="#ffffff">
   <H1>{html.escape(message.subject)}</H1>
    {name_html}    {sender}    <I>{message.date_line}</I>
    <P><UL>
        <LI> <B>Messages sorted by:</B>
              <a href="date.html#{message.number}">[ date ]</a>
        </LI>
       </UL>
    <HR>
<!--beginarticle-->
<PRE>{html.escape(message.body)}
</PRE>

<!--endarticle-->
    <HR>
</body></html>
""".encode()


def date_page(label: str, messages: list[PageMessage]) -> bytes:
    items = "\n".join(
        f'<LI><A HREF="{m.number:06d}.html">{html.escape(m.subject)}\n</A>'
        f'<A NAME="{m.number}">&nbsp;</A>\n<I>{html.escape(m.name)}\n</I>'
        for m in messages)
    return (f"<html><head><title>The {LIST_NAME} {label} Archive by date</title></head><body>"
            f"<h1>{label} Archives by date</h1><ul>\n{items}\n</ul></body></html>").encode()


def index_page(labels: list[str], *, text: bool = True) -> bytes:
    rows = []
    for label in labels:
        year, month = label.split("-")
        download = (f'<td><A href="{label}.txt.gz">[ Gzip\'d Text 1 KB ]</a></td>' if text
                    else "<td></td>")
        rows.append(f"""<tr><td>{month} {year}:</td><td>
 <A href="{label}/thread.html">[ Thread ]</a>
 <A href="{label}/date.html">[ Date ]</a></td>
 {download}</tr>""")
    return ("<html><head><title>The testlist Archives</title></head><body>"
            "<h1>The testlist Archives</h1><table border=3>\n" + "\n".join(rows)
            + "\n</table></body></html>").encode()


def archive_files(months: dict[str, bytes] | None = None, *, list_name: str = LIST_NAME,
                  text: bool = True, pages: bool = True) -> dict[str, bytes]:
    """{path under /pipermail/<list>/: body} for the whole archive ('' is the index page)."""
    months = fixture_months() if months is None else months
    files = {"": index_page(list(months), text=text)}
    by_month = _page_messages(months)
    for label, raw in months.items():
        if text:
            # mtime=0: the same bytes on every run, so a resumed download can be compared.
            files[f"{label}.txt.gz"] = gzip.compress(raw, mtime=0)
        if pages:
            files[f"{label}/date.html"] = date_page(label, by_month[label])
            for message in by_month[label]:
                files[f"{label}/{message.number:06d}.html"] = message_page(list_name, message)
    return files


def write_archive(root: Path, months: dict[str, bytes] | None = None, *,
                  list_name: str = LIST_NAME, text: bool = True, pages: bool = True) -> str:
    """Write the archive under root/pipermail/<list>/; returns its path ('/pipermail/<list>/')."""
    folder = root / "pipermail" / list_name
    for relative, body in archive_files(months, list_name=list_name, text=text,
                                        pages=pages).items():
        target = folder / (relative or "index.html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return f"/pipermail/{list_name}/"


@dataclass
class ServedArchive:
    base: str                                     # 'http://127.0.0.1:PORT'
    requests: list[str] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)  # path -> status to answer with
    user_agents: set[str] = field(default_factory=set)


@contextlib.contextmanager
def serve(root: Path) -> Iterator[ServedArchive]:
    """Serve `root` on 127.0.0.1 (free port) until the block ends."""
    served = ServedArchive(base="")

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            served.requests.append(self.path)
            served.user_agents.add(self.headers.get("User-Agent", ""))
            status = served.faults.get(self.path)
            if status:
                self.send_error(status)
                return
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

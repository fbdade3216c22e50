"""Parse mbox files (pipermail monthly archives, local imports) into messages, or reasoned rejects.

Plain functions of bytes: no network, no database. The stdlib `email` package does the
heavy lifting; `charset-normalizer` decodes text whose charset is unknown or wrong, and
`python-dateutil` reads dates that RFC 5322 parsing refuses.

Addresses are parsed here because people are merged by address, but a `ParsedMessage`
is an in-memory object: the loader turns the address into a salted hash and a domain
before anything is written (see bestbits/load/list_parse.py).
"""

from __future__ import annotations

import email
import gzip
import hashlib
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.header import decode_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parsedate_tz
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
from dateutil import parser as dateutil_parser

from bestbits.privacy import REDACTED, redact
from scrapers.parse.message_text import TEXT_CAP_BYTES
from scrapers.parse.sanitise import html_text

# Dates outside this window are typing errors or broken clocks (1970, 2037...): fall back
# to the next source rather than place a message decades away from the list's life.
PLAUSIBLE_YEARS = range(1990, 2040)

# US zone abbreviations appear in pipermail date lines and in hand-written Date headers;
# dateutil does not know them without help.
ZONE_ABBREVIATIONS = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
    "CET": 3600, "CEST": 7200, "BST": 3600, "IST": 19800,
}

DATE_SOURCES = ("date-header", "date-header-lenient", "mbox-from-line", "html-page")

_FROM_LINE_DATE = re.compile(
    rb"^From \S+\s+(?:at\s+\S+\s+)?(\w{3}\s+\w{3}\s+\d{1,2}\s+\d{1,2}:\d{2}(?::\d{2})?\s+\d{4})")
_MBOX_SPLIT = re.compile(rb"^From ", re.MULTILINE)
_ESCAPED_FROM = re.compile(r"^>(>*From )", re.MULTILINE)
# Pipermail hides addresses as "name at example.org"; in its From: header the display name
# follows in parentheses: "goran at domain.com (Göran Lastname)".
_OBFUSCATED = re.compile(r"([^\s@<>()\"',;:]+) at ([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                         r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)")
# Pipermail replaces each attachment with a notice; the notices are not the author's text.
_SCRUBBED = re.compile(
    r"\n*-------------- next part --------------\n"
    r"(?:An HTML attachment was scrubbed\.\.\.|A non-text attachment was scrubbed\.\.\.|"
    r"An embedded and charset-unspecified text was scrubbed\.\.\.|"
    r"An embedded message was scrubbed\.\.\.)\n"
    r"(?:[A-Z][A-Za-z ]*?\s*:[^\n]*\n?)*",
)
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|tr|rv)\s*(\[\d+\])?\s*:\s*|\[[^\]]*\]\s*)+",
                             re.IGNORECASE)
_REPLY_MARK = re.compile(r"^\s*(\[[^\]]*\]\s*)*(re|aw|sv|rv)\s*(\[\d+\])?\s*:", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
# The most of a body that is read: four times what may be stored of it (TEXT_CAP_BYTES), since
# quotes and signatures are cut from it. A longer body is read to a line end before the cap.
BODY_CAP_BYTES = 4 * TEXT_CAP_BYTES
# Below this many bytes charset detection is a coin toss (a name, a subject): windows-1252,
# the usual mislabelled charset in western mail, is the better bet.
_MIN_GUESS_BYTES = 64


@dataclass(slots=True)
class ParsedMessage:
    """One message as read from a file. `address` stays in memory: the loader hashes it."""

    locator: str                      # where in the file: "message 12 (byte 34567)"
    message_id: str                   # pseudonymous key: "msg:<hash>" or "derived:<hash>"
    message_id_derived: bool
    sent_at: datetime | None          # naive UTC
    date_source: str | None           # one of DATE_SOURCES
    author_name: str | None
    address: str | None               # lower-cased, de-obfuscated; never stored
    subject: str | None
    in_reply_to: str | None           # pseudonymous key of the parent, as the headers say
    references: list[str] = field(default_factory=list)  # pseudonymous keys, oldest first
    body: str = ""                    # the author's text: attachment notices stripped
    attachments_scrubbed: int = 0
    url: str | None = None            # the message's own page, when parsed from one
    body_cut: bool = False            # the body was longer than BODY_CAP_BYTES: its end not read


@dataclass
class Reject:
    locator: str
    reason: str


def message_key(raw_id: str) -> str:
    """A Message-ID as a pseudonymous key: ids often embed an address (`x@host`)."""
    normalised = raw_id.strip().strip("<>").strip()
    return "msg:" + hashlib.sha1(normalised.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def base_subject(subject: str | None) -> str:
    """The subject without reply/forward marks and list tags, for thread fallback."""
    return " ".join(_SUBJECT_PREFIX.sub("", subject or "").split()).casefold()


def is_reply_subject(subject: str | None) -> bool:
    return bool(subject and _REPLY_MARK.match(subject))


# -- splitting ---------------------------------------------------------------------------

def split_mbox(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(byte offset, raw message) for each message, split exactly as `mailbox.mbox` splits.

    Like the stdlib, every line that begins with "From " starts a message and text before
    the first one is not a message; so the count here equals `len(mailbox.mbox(path))`.
    """
    starts = [m.start() for m in _MBOX_SPLIT.finditer(data)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        yield start, data[start:end]


# -- text decoding -----------------------------------------------------------------------

def decode_bytes(raw: bytes, declared: str | None = None) -> str:
    """Text from bytes whose charset may be missing, unknown or wrong.

    UTF-8 that decodes cleanly is taken as UTF-8 even when labelled otherwise: a
    mislabelled Latin-1 body almost never happens to be valid UTF-8, while UTF-8 labelled
    Latin-1 is common. Then the declared charset, then charset-normalizer's best guess.
    """
    if not raw:
        return ""
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            text = raw.decode(declared)
            if declared.lower().replace("_", "-") not in ("us-ascii", "ascii"):
                return text
        except (LookupError, UnicodeDecodeError):
            pass
    if len(raw) >= _MIN_GUESS_BYTES:
        best = charset_normalizer.from_bytes(raw).best()
        if best is not None:
            if best.encoding in ("latin_1", "iso8859_1"):
                # Latin-1 and windows-1252 share their letters; only windows-1252 has the
                # curly quotes and dashes that mail clients write in 0x80-0x9F.
                return raw.decode("cp1252", errors="replace")
            return str(best)
    return raw.decode("cp1252", errors="replace")


def decode_header_text(value: object) -> str:
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes guessed, folding undone."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and "=?" not in text:
        return " ".join(text.split())  # the common case, and the fast one
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        # compat32 keeps undecodable header bytes as surrogates: recover and guess them.
        text = decode_bytes(text.encode("ascii", "surrogateescape"))
    try:
        parts = decode_header(text)
    except Exception:  # a malformed encoded-word: keep the text as it stands
        return " ".join(text.split())
    pieces = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            pieces.append(decode_bytes(chunk, charset))
        else:
            pieces.append(chunk)
    return " ".join("".join(pieces).split())


# -- names and addresses -----------------------------------------------------------------

def parse_author(header: str) -> tuple[str | None, str | None]:
    """(display name, address) from a From: header, pipermail's `x at y (Name)` form included."""
    text = header.strip()
    if not text:
        return None, None
    obfuscated = re.fullmatch(r"\s*" + _OBFUSCATED.pattern + r"\s*(?:\((.*)\))?\s*", text)
    if obfuscated:
        local, domain, name = obfuscated.groups()
        return clean_name(name), f"{local}@{domain}".lower()
    text = _OBFUSCATED.sub(r"\1@\2", text)
    try:
        pairs = getaddresses([text])
    except Exception:
        pairs = []
    name, address = pairs[0] if pairs else ("", "")
    if "@" not in address:
        return clean_name(name or text), None
    return clean_name(name), address.lower()


# What is left of a name once the gate took an address out of it: 'Jo ([address])' -> 'Jo'.
_REDACTED_IN_NAME = re.compile(r"[\[(<{\"']*\s*" + re.escape(REDACTED) + r"\s*[\])>}\"']*")


def clean_name(name: str | None) -> str | None:
    """A display name as stored: unquoted, spaces collapsed, no address in any form (a name
    that was only an address, '"joe[at]x.org" <joe@x.org>', is no name)."""
    if not name:
        return None
    name = " ".join(name.strip().strip("\"'").split())
    name = redact(name)
    if REDACTED in name:
        name = " ".join(_REDACTED_IN_NAME.sub(" ", name).split()).strip(" ,;:-")
    return name or None


# -- dates -------------------------------------------------------------------------------

def _plausible(moment: datetime | None) -> datetime | None:
    if moment is None or moment.year not in PLAUSIBLE_YEARS:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def parse_date_header(value: str | None) -> tuple[datetime | None, str | None]:
    """(naive UTC moment, source) from a Date: header: RFC 5322 first, then lenient."""
    if not value or not value.strip():
        return None, None
    parsed = parsedate_tz(value)
    if parsed is not None:
        try:
            offset = parsed[9] or 0
            local = datetime(*parsed[:6])
            moment = _plausible(local - timedelta(seconds=offset))
            if moment is not None:
                return moment, "date-header"
        except (ValueError, OverflowError, TypeError):
            pass
    try:
        moment = dateutil_parser.parse(value, fuzzy=True, tzinfos=ZONE_ABBREVIATIONS)
    except (ValueError, OverflowError, TypeError, dateutil_parser.ParserError):
        return None, None
    except Exception:  # dateutil raises odd errors on odd input; a bad date is not a crash
        return None, None
    try:
        moment = _plausible(moment)
    except (ValueError, OverflowError):
        return None, None
    return (moment, "date-header-lenient") if moment else (None, None)


def parse_from_line(line: bytes) -> datetime | None:
    """The date of an mbox "From " line. It has no zone; pipermail writes UTC-ish server time."""
    match = _FROM_LINE_DATE.match(line)
    if not match:
        return None
    stamp = " ".join(match.group(1).decode("ascii", "replace").split())
    for fmt in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M %Y"):
        try:
            return _plausible(datetime.strptime(stamp, fmt))
        except ValueError:
            continue
    return None


# -- bodies ------------------------------------------------------------------------------

def strip_scrubbed(text: str) -> tuple[str, int]:
    """The text without pipermail's scrubbed-attachment notices, and how many there were."""
    if "-- next part --" not in text:
        return text, 0
    stripped, count = _SCRUBBED.subn("\n", text)
    return stripped.rstrip() + ("\n" if stripped.strip() else ""), count


def message_body(message: Message) -> tuple[str, bool]:
    """The text content of a message, and whether it was cut at BODY_CAP_BYTES: its first
    text/plain part, else its first text part; an HTML-only message gives the text its HTML
    shows, never the markup."""
    part = message
    if message.is_multipart():
        part = None
        for candidate in message.walk():
            if candidate.get_content_maintype() == "text" and not candidate.is_multipart():
                if candidate.get_content_subtype() == "plain":
                    part = candidate
                    break
                part = part or candidate
        if part is None:
            return "", False
    html = part.get_content_subtype() == "html"
    try:
        raw = part.get_payload(decode=True)
    except Exception:
        raw = None
    if raw is None:
        payload = part.get_payload()
        raw = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    elif isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    return _decoded_body(raw, part.get_content_charset(), html)


def _decoded_body(raw: bytes, charset: str | None, html: bool) -> tuple[str, bool]:
    """Body bytes as text: at most BODY_CAP_BYTES of them (cut at a line end), HTML as the text
    it shows. Returns the text and whether it was cut."""
    cut = len(raw) > BODY_CAP_BYTES
    if cut:
        end = raw.rfind(b"\n", 0, BODY_CAP_BYTES)
        raw = raw[:end if end > 0 else BODY_CAP_BYTES]
    text = decode_bytes(raw, charset)
    if html:
        text = html_text(text)
    return text, cut


# -- one message -------------------------------------------------------------------------

# One header field: an RFC 5322 name (printable, no colon), its value and any folded lines.
_HEADER_FIELD = re.compile(rb"([!-9;-~]+):[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)(?:\n|\Z)")
_CHARSET = re.compile(r"charset\s*=\s*\"?([^\";\s]+)", re.IGNORECASE)
_PLAIN_ENCODINGS = ("", "7bit", "8bit", "binary")
_HTML_TYPE = re.compile(r"\s*text/html\b", re.IGNORECASE)


def split_headers(raw: bytes) -> tuple[dict[str, str], bytes]:
    """(first value of each header, lower-cased name -> text; the body bytes).

    A small reader for the header block, several times faster than the `email` parser
    on pipermail archives, with the same rules: folded lines continue a header, and the
    first line that is not a header ends the block. Values keep undecodable bytes as
    surrogates, as compat32 does, so decode_header_text can still guess their charset.
    """
    headers: dict[str, str] = {}
    position = 0
    match = _HEADER_FIELD.match
    while (field := match(raw, position)) is not None:
        name = field.group(1).decode("ascii").lower()
        if name not in headers:
            value = field.group(2)
            if b"\n" in value:
                value = b" ".join(part.strip() for part in value.split(b"\n"))
            headers[name] = value.strip().decode("ascii", "surrogateescape")
        position = field.end()
    if raw.startswith(b"\n", position):
        position += 1
    elif raw.startswith(b"\r\n", position):
        position += 2
    return headers, raw[position:]


def _body_text(headers: dict[str, str], body: bytes, raw: bytes) -> tuple[str, bool]:
    content_type = headers.get("content-type", "")
    encoding = headers.get("content-transfer-encoding", "").strip().lower()
    if "multipart" in content_type.lower() or encoding not in _PLAIN_ENCODINGS:
        # Parts and transfer encodings are the stdlib's job.
        return message_body(email.message_from_bytes(raw, policy=compat32))
    charset = _CHARSET.search(content_type)
    return _decoded_body(body, charset.group(1) if charset else None,
                         _HTML_TYPE.match(content_type) is not None)


def parse_message(raw: bytes, locator: str, page_date: datetime | None = None
                  ) -> ParsedMessage | Reject:
    """Parse one raw mbox message (its "From " line included). Never raises on bad input."""
    try:
        return _parse_message(raw, locator, page_date)
    except Exception as exc:  # the reason goes to `rejects`; a bad message never stops a build
        return Reject(locator, f"unreadable message ({type(exc).__name__}: {exc})"[:300])


def _parse_message(raw: bytes, locator: str, page_date: datetime | None) -> ParsedMessage | Reject:
    from_line, _, rest = raw.partition(b"\n") if raw.startswith(b"From ") else (b"", b"", raw)
    if not rest or rest.isspace():
        return Reject(locator, "empty message: an mbox 'From ' line with nothing after it")
    headers, body_bytes = split_headers(rest)
    if not headers:
        return Reject(locator, "no headers: probably an unescaped 'From ' line inside the "
                               "previous message's body split it in two")
    name, address = parse_author(decode_header_text(headers.get("from")))
    subject = redact(decode_header_text(headers.get("subject"))) or None

    sent_at, date_source = parse_date_header(decode_header_text(headers.get("date")))
    if sent_at is None and from_line:
        sent_at = parse_from_line(from_line)
        date_source = "mbox-from-line" if sent_at else None
    if sent_at is None and page_date is not None:
        sent_at, date_source = page_date, "html-page"

    text, body_cut = _body_text(headers, body_bytes, rest)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if ">From " in text:
        text = _ESCAPED_FROM.sub(r"\1", text)
    text, scrubbed = strip_scrubbed(text)

    raw_id = headers.get("message-id")
    ids = _MESSAGE_ID.findall(str(raw_id or ""))
    if ids or (raw_id and str(raw_id).strip()):
        key, derived = message_key(ids[0] if ids else str(raw_id)), False
    else:
        # No Message-ID: derive one from what identifies the message, so that a rebuild,
        # or the same message in another month's file, gets the same key.
        basis = "\x1f".join([address or name or "", str(headers.get("date") or ""),
                             subject or "", text[:500]])
        key = "derived:" + hashlib.sha1(basis.encode("utf-8", "surrogateescape")).hexdigest()[:20]
        derived = True
    if not (name or address):
        return Reject(locator, "no sender: the From: header is missing or empty")
    if sent_at is None:
        return Reject(locator, "no usable date: Date: header missing or unreadable, and no "
                               "mbox 'From ' line or page date to fall back on")

    parent_ids = _MESSAGE_ID.findall(decode_header_text(headers.get("in-reply-to")))
    references = [message_key(r) for r in _MESSAGE_ID.findall(
        decode_header_text(headers.get("references")))]
    return ParsedMessage(
        locator=locator, message_id=key, message_id_derived=derived,
        sent_at=sent_at, date_source=date_source, author_name=name, address=address,
        subject=subject, in_reply_to=message_key(parent_ids[0]) if parent_ids else None,
        references=references, body=text, attachments_scrubbed=scrubbed, body_cut=body_cut,
    )


MBOX_CHUNK = 1024 * 1024  # bytes read at a time: memory stays flat for any file size


def split_mbox_stream(stream: BinaryIO, chunk: int = MBOX_CHUNK
                      ) -> Iterator[tuple[int, bytes]]:
    """`split_mbox` over a file object, reading it a chunk at a time.

    Every buffer it scans starts at a line start (the file's start, or the start of the
    message carried over from the previous chunk), so "From " is found exactly where
    `split_mbox` finds it on the whole file.
    """
    buffer, base, first = b"", 0, True
    while True:
        block = stream.read(chunk)
        buffer += block
        starts = [m.start() for m in _MBOX_SPLIT.finditer(buffer)]
        if first and starts and starts[0] > 0:
            # Text before the first "From " line is not a message (as in mailbox.mbox).
            base += starts[0]
            buffer = buffer[starts[0]:]
            starts = [s - starts[0] for s in starts]
        if starts:
            first = False
        if not block:
            for i, start in enumerate(starts):
                end = starts[i + 1] if i + 1 < len(starts) else len(buffer)
                yield base + start, buffer[start:end]
            return
        # The last message may go on in the next chunk: keep it for the next round.
        for i, start in enumerate(starts[:-1]):
            yield base + start, buffer[start:starts[i + 1]]
        if len(starts) > 1:
            base += starts[-1]
            buffer = buffer[starts[-1]:]
        elif not starts and not first:
            raise AssertionError("a buffer after the first always starts with 'From '")


def iter_mbox_raw(path: Path) -> Iterator[tuple[str, bytes] | Reject]:
    """(locator, raw message) for every message of an mbox file (plain or gzipped), read in
    chunks, unparsed: the build hands them to worker processes to parse.

    A file damaged part-way (a cut gzip stream) yields what was readable, then one
    Reject for the rest, so that the damage is counted, not hidden.
    """
    with path.open("rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    number, offset = 0, 0
    try:
        with (gzip.open(path, "rb") if gzipped else path.open("rb")) as stream:
            for offset, raw in split_mbox_stream(stream):
                number += 1
                yield f"message {number} (byte {offset})", raw
    except (OSError, EOFError, zlib.error) as exc:
        yield Reject(f"after message {number} (byte {offset})",
                     f"the file is damaged from here on ({exc}); collect it again")


def iter_mbox_file(path: Path) -> Iterator[ParsedMessage | Reject]:
    """Every message of an mbox file (plain or gzipped), parsed or rejected, read in chunks."""
    for item in iter_mbox_raw(path):
        yield item if isinstance(item, Reject) else parse_message(item[1], item[0])


def iter_mbox(data: bytes) -> Iterator[ParsedMessage | Reject]:
    """Every message of an mbox file, parsed or rejected: one item per `mailbox.mbox` message."""
    for number, (offset, raw) in enumerate(split_mbox(data), start=1):
        yield parse_message(raw, f"message {number} (byte {offset})")

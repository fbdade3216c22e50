"""Read pipermail (Mailman 2) HTML: the archive index, a month's date.html, and message pages.

Used when only the HTML of a month was archived: a message page carries the sender's
name, the obfuscated address, the date line, the subject and the body, and its reply
link (`mailto:...&In-Reply-To=<id>`) carries the message's own Message-ID, so a message
read from HTML gets the same key as the same message read from the monthly text file.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from bestbits.privacy import redact
from scrapers.parse.mbox import (
    ParsedMessage,
    Reject,
    clean_name,
    decode_bytes,
    message_key,
    parse_author,
    parse_date_header,
    strip_scrubbed,
)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
_MONTH_LABEL = re.compile(r"(\d{4})-(" + "|".join(MONTH_NAMES) + r")")
_TEXT_ARCHIVE = re.compile(r"(?:^|/)(\d{4}-(?:" + "|".join(MONTH_NAMES) + r"))\.txt(\.gz)?$")
_MESSAGE_PAGE = re.compile(r"(?:^|/)(\d{6})\.html$")
_ARTICLE = re.compile(r"<!--beginarticle-->(.*?)<!--endarticle-->", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SENDER_NAME = re.compile(r"</h1>\s*<b>(.*?)</b>", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveMonth:
    label: str              # pipermail's folder name: '2013-May'
    month: str              # 'YYYY-MM' (of the folder: messages are dated by their headers)
    text_url: str | None    # the monthly .txt.gz or .txt, when the index links one
    date_url: str           # the month's date.html


@dataclass(frozen=True)
class MessageLink:
    number: int
    url: str
    subject: str | None


def month_of_label(label: str) -> str | None:
    """'2013-May' -> '2013-05'."""
    match = _MONTH_LABEL.fullmatch(label)
    if not match:
        return None
    return f"{match.group(1)}-{MONTH_NAMES.index(match.group(2)) + 1:02d}"


def _page(content: bytes | str) -> HTMLParser:
    if isinstance(content, bytes):
        content = decode_bytes(content, _declared_charset(content))
    return HTMLParser(content)


def _declared_charset(content: bytes) -> str | None:
    match = re.search(rb"charset=[\"']?([A-Za-z0-9_.:-]+)", content[:2048], re.IGNORECASE)
    return match.group(1).decode("ascii") if match else None


def parse_index(content: bytes | str, base_url: str) -> list[ArchiveMonth]:
    """The months an archive index links, newest first as pipermail lists them."""
    months: dict[str, dict[str, str | None]] = {}
    order: list[str] = []
    for anchor in _page(content).css("a"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href:
            continue
        text_match = _TEXT_ARCHIVE.search(href)
        label_match = _MONTH_LABEL.match(href)
        label = text_match.group(1) if text_match else (label_match.group(0) if label_match
                                                         else None)
        if not label:
            continue
        if label not in months:
            months[label] = {"text_url": None}
            order.append(label)
        if text_match:
            months[label]["text_url"] = urljoin(base_url, href)
    return [ArchiveMonth(label, month_of_label(label) or "", months[label]["text_url"],
                         urljoin(base_url, f"{label}/date.html")) for label in order]


def parse_date_page(content: bytes | str, page_url: str) -> list[MessageLink]:
    """The message pages a month's date.html (or thread.html ...) links, by number."""
    links: dict[int, MessageLink] = {}
    for anchor in _page(content).css("a"):
        href = (anchor.attributes.get("href") or "").strip()
        match = _MESSAGE_PAGE.search(href)
        if not match:
            continue
        number = int(match.group(1))
        subject = " ".join(anchor.text().split()) or None
        links.setdefault(number, MessageLink(number, urljoin(page_url, href),
                                             redact(subject)))
    return [links[n] for n in sorted(links)]


def parse_message_page(content: bytes | str, url: str, locator: str | None = None
                       ) -> ParsedMessage | Reject:
    """One pipermail message page as a message. Never raises on bad input."""
    locator = locator or url
    try:
        return _parse_message_page(content, url, locator)
    except Exception as exc:  # bad HTML is a reject with a reason, never a crash
        return Reject(locator, f"unreadable message page ({type(exc).__name__}: {exc})"[:300])


def _parse_message_page(content: bytes | str, url: str, locator: str) -> ParsedMessage | Reject:
    text = content if isinstance(content, str) else decode_bytes(content,
                                                                 _declared_charset(content))
    tree = HTMLParser(text)
    heading = tree.css_first("h1")
    subject = " ".join(heading.text().split()) if heading else None
    # The sender's name is the <B> right after the <H1>; later <B>s are navigation.
    name_match = _SENDER_NAME.search(text)
    name = " ".join(html_lib.unescape(_TAG.sub("", name_match.group(1))).split()) \
        if name_match else None

    address = None
    raw_id = None
    for anchor in tree.css("a"):
        href = anchor.attributes.get("href") or ""
        if href.lower().startswith("mailto:"):
            query = parse_qs(urlsplit(href).query)
            ids = query.get("In-Reply-To") or query.get("in-reply-to")
            if ids:
                raw_id = unquote(ids[0])
            _, address = parse_author(" ".join(anchor.text().split()))
            break

    date_node = tree.css_first("i")
    date_line = " ".join(date_node.text().split()) if date_node else ""
    sent_at, _ = parse_date_header(date_line)

    article = _ARTICLE.search(text)
    body = ""
    if article:
        body = html_lib.unescape(_TAG.sub("", article.group(1)))
    body, scrubbed = strip_scrubbed(body.replace("\r\n", "\n").strip("\n"))

    if not subject and not name and not article:
        return Reject(locator, "not a pipermail message page (no subject, sender or article)")
    if not (name or address):
        return Reject(locator, "no sender on the message page")
    if sent_at is None:
        return Reject(locator, f"no usable date on the message page ({date_line[:60]!r})")
    if raw_id:
        key, derived = message_key(raw_id), False
    else:
        # Old pipermail pages lack the reply link: the page address is stable, use it.
        key = "derived:" + message_key("page:" + url).removeprefix("msg:")
        derived = True
    name, _ = parse_author(name) if name and " at " in name else (name, None)
    return ParsedMessage(
        locator=locator, message_id=key, message_id_derived=derived, sent_at=sent_at,
        date_source="html-page", author_name=clean_name(name), address=address,
        subject=redact(subject) or None, in_reply_to=None, references=[],
        body=body, attachments_scrubbed=scrubbed, url=url,
    )

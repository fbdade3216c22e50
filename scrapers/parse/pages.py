"""Classify a capture of bestbits.net by what kind of page it is, and read the cues every kind shares.

Kinds: event, statement, report, background_paper, listing, wiki, home, other for HTML pages;
redirect, error and document (PDFs and other files) for captures that are not parsed as
content. Classification reads semantic cues before theme markup, because the theme changed
over the years: the address, WordPress body classes, categories (links with rel=tag, the
`article:section` meta, the meta line `12. December, 2017 | Statements | No comments`), then
the content itself (an agenda table, "When:"/"Where:" labels, a list of signatories).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from charset_normalizer import from_bytes

from scrapers.parse.dates import PartialDate, parse_date
from scrapers.parse.tree import Document, read_document

CONTENT_KINDS = ("event", "statement", "report", "background_paper")
PAGE_KINDS = CONTENT_KINDS + ("listing", "wiki", "home", "other", "redirect", "error",
                              "document")
LANGUAGE_PREFIXES = ("es", "fr", "pt", "en", "ar", "ru", "zh")

# The theme appended the site's name to the <title>; the name is not part of the page's title.
_SITE_SUFFIX = re.compile(r"\s*[|–—-]\s*(best ?bits|bestbits\.net)\b.*$", re.IGNORECASE)
_STATEMENT_WORDS = re.compile(
    r"\b(statements?|declaraci[oó]n(es)?|d[ée]clarations?|declara[çc][ãa]o|declara[çc][õo]es|"
    r"open letters?|cartas? abiertas?|lettres? ouvertes?|sign-?on)\b", re.IGNORECASE)
_REPORT_WORDS = re.compile(r"\b(event ?reports?|reports?|informes?|rapports?|relat[óo]rios?)\b",
                           re.IGNORECASE)
_BACKGROUND_WORDS = re.compile(r"\b(background ?papers?|documentos? de referencia|"
                               r"documents? de r[ée]f[ée]rence)\b", re.IGNORECASE)
_SIGNATORY_HEADING = re.compile(
    r"^(list of )?(signatories|signatures|signed|endorsements?|endorsed by|endorsers|"
    r"firmantes|firmas|adhesiones|signataires|assinantes|signat[áa]rios|assinaturas)\b",
    re.IGNORECASE)
_AGENDA_HEADER = re.compile(r"^(time|hora|heure|horaire|hor[áa]rio)$", re.IGNORECASE)
_WHEN_LABEL = re.compile(r"^(when|date|dates|fecha|fechas|cu[áa]ndo|quand|quando|data)\s*:",
                         re.IGNORECASE)
_LISTING_CLASSES = {"archive", "category", "tag", "search", "blog", "author", "date",
                    "post-type-archive", "paged"}
# Listings: archives by category, tag, author or date, feeds, the calendar's views (their
# addresses carry '~': /events/action~agenda/...), and bare section pages.
_LISTING_PATH = re.compile(
    r"^/(category|tag|author|page|feed|search|calendar)(/|$)|^/(events?|statements|documents|"
    r"blog|news)$|~|/feed$|/page/\d+$|^/\d{4}(/\d{2}){0,2}$", re.IGNORECASE)
_HTML_MIMES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class PageClass:
    """What a capture is, and the cue that decided it (kept so a person can check)."""

    kind: str
    reason: str


@dataclass(frozen=True)
class SiteAddress:
    """A bestbits.net address reduced to what identifies the item behind it."""

    lang: str | None      # 'es' for /es/... (or ?lang=es), None for the default language
    path: str             # without the language prefix, no trailing slash ('' for home)
    instance_id: str | None
    post_id: str | None = None   # WordPress ?p=N / ?page_id=N
    host: str = ""               # without 'www.' and port


def site_address(url: str) -> SiteAddress:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return SiteAddress(None, url, None)
    path = re.sub(r"/+", "/", parts.path or "/")
    lang = None
    match = re.match(r"^/([a-z]{2})(/|$)", path)
    if match and match.group(1) in LANGUAGE_PREFIXES:
        lang = match.group(1)
        path = path[len(match.group(1)) + 1:] or "/"
    query = parse_qs(parts.query)
    instance = query.get("instance_id", [None])[0]
    post = (query.get("p") or query.get("page_id") or [None])[0]
    lang = lang or (query.get("lang") or [None])[0]
    return SiteAddress(lang if lang != "en" else None, path.rstrip("/").lower(), instance,
                       post if post and post.isdigit() else None, host.removeprefix("www."))


def decode_body(body: bytes | str | None, content_type: str | None = None) -> str:
    """The page's text: the charset the headers name, else a detected one, else UTF-8 lossy."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    charset = None
    if content_type:
        match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
        charset = match.group(1) if match else None
    if not charset:
        match = re.search(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", body[:4096], re.IGNORECASE)
        charset = match.group(1).decode("ascii", "replace") if match else None
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(body[:65536]).best()
        encoding = best.encoding if best else "utf-8"
        return body.decode(encoding, errors="replace")


def is_html(mime: str | None, body: bytes | str | None) -> bool:
    if mime:
        base = mime.split(";")[0].strip().lower()
        if base in _HTML_MIMES:
            return True
        if base and base not in ("unk", "unknown", "application/octet-stream", "warc/revisit"):
            return False
    head = body[:512] if body else b""
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    return bool(re.search(rb"<(!doctype html|html|head|body)\b", head.lower()))


def classify_status(status: str | None) -> PageClass | None:
    """Redirects and errors are recorded as such and never parsed as content."""
    if status and status[:1] == "3":
        return PageClass("redirect", f"status {status}")
    if status and status[:1] in ("4", "5"):
        return PageClass("error", f"status {status}")
    return None


def classify_capture(url: str, status: str | None, mime: str | None,
                     body: bytes | str | None) -> tuple[PageClass, Document | None]:
    """Classify one capture from its status, type and body; HTML pages come with their Document."""
    by_status = classify_status(status)
    if by_status:
        return by_status, None
    if body is None:
        return PageClass("error", "no stored body"), None
    if not is_html(mime, body):
        return PageClass("document", f"not HTML ({mime or 'unknown type'})"), None
    doc = read_document(decode_body(body, mime))
    return classify(url, doc), doc


_PIPE_AND_SPACE = " \t\r\n\f\v\u00a0|"


def strip_cell_pipe(text: str) -> str:
    """'Registration |' -> 'Registration': one theme drew its cells and titles pipe-style, and
    the pipe is a separator, never part of the words."""
    return text.strip(_PIPE_AND_SPACE)


def page_title(doc: Document) -> str | None:
    """og:title, then the entry title, then the first h1, then <title> without the site name."""
    candidates = [doc.metas.get("og:title"), doc.entry_title, doc.h1[0][0] if doc.h1 else None,
                  doc.title_tag]
    for candidate in candidates:
        if candidate:
            title = strip_cell_pipe(_SITE_SUFFIX.sub("", candidate))
            if title and title.lower() not in ("best bits", "bestbits"):
                return title
    return None


def categories(doc: Document) -> list[str]:
    """The post's categories and tags, from every place a theme put them."""
    found: list[str] = []
    section = doc.metas.get("article:section")
    if section:
        found.append(section)
    found += [text for _rel, text in doc.tag_links if text]
    for cls in doc.body_classes:
        if cls.startswith("category-") and not cls[9:].isdigit():
            found.append(cls[9:].replace("-", " "))
    if doc.meta_line:
        found += [seg for seg in _meta_segments(doc.meta_line)[1:]]
    seen: set[str] = set()
    return [c for c in found if not (c.lower() in seen or seen.add(c.lower()))]


def _meta_segments(line: str) -> list[str]:
    """'12. December, 2017 | Statements | No comments' -> [date, 'Statements']."""
    segments = [s.strip() for s in re.split(r"\s*[|•·]\s*", line) if s.strip()]
    out = []
    for seg in segments:
        if re.search(r"\b(no comments?|\d+ comments?|leave a comment|comments? off|"
                     r"sin comentarios|pas de commentaire|sem coment[áa]rios)\b", seg, re.I):
            continue
        if re.match(r"^(by|por|par|posted by)\s", seg, re.I):
            continue
        out.append(seg)
    return out


def published(doc: Document) -> PartialDate | None:
    """The post's own date: the article meta, a time[datetime], or the meta line."""
    for candidate in (doc.metas.get("article:published_time"), *doc.times[:1]):
        found = parse_date(candidate)
        if found and found.day:
            return found
    if doc.meta_line:
        for seg in _meta_segments(doc.meta_line)[:2] + [doc.meta_line]:
            found = parse_date(seg)
            if found:
                return found
    return None


def shortcodes(text: str) -> list[tuple[str, str]]:
    """Unrendered plugin shortcodes left in content: [participants event=”157964″] and kin."""
    return re.findall(r"\[(participants|backgroundpapers|eventreports)\s+event\s*=\s*"
                      r"[\"'“”″′]?(\d+)[\"'“”″′]?\s*\]", text)


def has_agenda_table(doc: Document) -> bool:
    for block in doc.blocks:
        if block.kind == "table" and block.rows and any(
                _AGENDA_HEADER.match(cell.strip(" :|")) for cell in block.rows[0]):
            return True
    return bool(re.search(r"^\s*(time|hora|heure|hor[áa]rio)\s*\|\s*\w+", doc.text,
                          re.IGNORECASE | re.MULTILINE))


def has_signatory_section(doc: Document) -> bool:
    return any(
        _SIGNATORY_HEADING.match(block.text if block.kind == "heading" else line)
        for block in doc.blocks if block.kind in ("heading", "text")
        for line in (block.lines[:1] if block.kind == "text" else [block.text])
        if len(line) < 80)


def classify(url: str, doc: Document) -> PageClass:
    """The kind of an HTML page; the reason names the cue that decided."""
    address = site_address(url)
    path = address.path
    classes = set(doc.body_classes)
    if re.search(r"(^|/)wiki(/|$)", path):
        return PageClass("wiki", "address under /wiki/")
    if "single-ai1ec_event" in classes:
        return PageClass("event", "body class single-ai1ec_event")
    if re.match(r"^/events?/[^/~]+$", path):
        return PageClass("event", "event calendar address /event/<slug>/")
    if (path in ("", "/") and not address.post_id) or "home" in classes:
        if not _LISTING_PATH.search(path):
            return PageClass("home", "the site's front page")
    if _LISTING_PATH.search(path) or classes & _LISTING_CLASSES:
        return PageClass("listing", "listing address or archive body class")
    first_segment = path.split("/")[1] if path.count("/") >= 1 and len(path) > 1 else ""
    if _BACKGROUND_WORDS.search(first_segment.replace("-", " ")) or first_segment.startswith(
            "backgroundpaper"):
        return PageClass("background_paper", f"address /{first_segment}/")
    if first_segment.startswith(("eventreport", "report")):
        return PageClass("report", f"address /{first_segment}/")
    cats = categories(doc)
    for cat in cats:
        if _STATEMENT_WORDS.search(cat):
            return PageClass("statement", f"category {cat!r}")
    for cat in cats:
        if _BACKGROUND_WORDS.search(cat):
            return PageClass("background_paper", f"category {cat!r}")
        if _REPORT_WORDS.search(cat):
            return PageClass("report", f"category {cat!r}")
    if has_agenda_table(doc):
        return PageClass("event", "agenda table (Time | Session)")
    if any(_WHEN_LABEL.match(line) for block in doc.blocks[:40] for line in block.lines[:3]):
        return PageClass("event", "When/Date label")
    if has_signatory_section(doc):
        return PageClass("statement", "list of signatories")
    return PageClass("other", "no cue of an event, statement, report or paper")

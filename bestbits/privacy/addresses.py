"""The privacy gate: every e-mail address, in any written form, found and replaced before a text
is stored.

One gate for every text the build stores (message bodies, subjects, display names, site text,
signatory cells, curated notes, capture addresses, file names): `redact` for text,
`redact_url` for addresses of pages, `safe_file_name` for names of files, `contains_address` for
checks and tests, `find_addresses` for the opt-out file.

What counts as an address: a local part, an at-sign, a host. Each may be written in the forms
archives and people use to hide them, and the gate reads the text as a reader would before it
looks: HTML character references (`&#64;`, `&commat;`) resolved, percent-escapes (`%40`)
decoded, and Unicode compatibility forms folded (NFKC: full-width `＠`), repeatedly (`%2540`,
`&amp;#64;`). The at-sign is `@` (also with spaces around it: `jo @ example . org`), a bracketed
`(at)` `[at]` `{at}` `<at>`, or the word `at` (`jo at example.org`, pipermail's form, and
`JO AT EXAMPLE DOT ORG`); a dot is `.`, a bracketed `(dot)` or the word `dot`. A quoted local
part (`"a b"@x.org`), an IP-literal host (`a@[192.0.2.1]`), internationalised domains and
`mailto:` links count too.

What does not: ordinary prose with "at" and "dot" ("we met at the hotel", "dot matrix"), and a
web address after the word "at" ("the list at lists.example.org/info"): after the bare word the
host must end in a real top-level domain (the public-suffix list bundled with tldextract) and
be followed by no path; after a spelled "dot", the domain must be a generic one (com, org,
net, edu, gov, int, info, mil, biz) or a country code that is no English word ("it", "at",
"me", "no" are not read). Prose of the shape "<word> at <word> dot com" is read as an address:
the gate errs on the side of the person.

The replacement keeps the rest of the text exactly as it was: matches are found on the decoded
reading and mapped back to the characters they came from.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

REDACTED = "[address]"
# In addresses of pages and in file names, where brackets would have to be escaped.
URL_REDACTED = "address-removed"

# Decoding rounds: '%2540' and '&amp;#64;' need two; a third catches one more layer.
_DECODE_ROUNDS = 3
# Combining marks, so that a decomposed accent ('e' + U+0301) stays inside a word.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD = r"\w" + _MARKS
# RFC 5321 caps a local part at 64 characters and a label at 63; the caps also keep the
# search linear on long runs of letters.
_LOCAL_END = re.compile(r"[" + _WORD + r".+%\-]{1,64}\Z")
_LABEL = r"[" + _WORD + r"\-]{1,63}"
_WORD_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.)\s*[\])}>]\s*|\s+dot\s+)"
_HOST_IP = r"\[(?:IPv6:)?[0-9A-Fa-f:.]{2,45}\]"
# After a bare @ (no space on both sides): tight dots or dot words; a host without a dot counts.
_HOST_AFTER_AT = re.compile(
    r"(?:" + _HOST_IP + r"|" + _LABEL + r"(?:(?:\." + r"|" + _WORD_DOT + r")" + _LABEL + r")*)",
    re.IGNORECASE)
# After ' @ ' or a bracketed at: spaces around the dots too ('jo @ example . org'), one dot at
# least.
_HOST_SPACED = re.compile(
    r"(?:" + _HOST_IP + r"|" + _LABEL + r"(?:(?:\s*\.\s*|" + _WORD_DOT + r")" + _LABEL + r")+)",
    re.IGNORECASE)
# After the bare word 'at': tight dots or dot words, one dot at least; the last label is
# checked against the known top-level domains.
_HOST_AFTER_WORD = re.compile(
    r"" + _LABEL + r"(?:(?:\.|" + _WORD_DOT + r")" + _LABEL + r")+", re.IGNORECASE)
# After the bare word 'at' and a spelled 'dot': the generic domains, and country codes that
# are no English word ('x at y dot it' stays: 'we met at noon dot it was' reads as prose).
_SPELLED_TLDS = frozenset({"com", "org", "net", "edu", "gov", "int", "info", "mil", "biz"})
_WORDS_OF_TWO = frozenset({"am", "an", "as", "at", "be", "by", "do", "go", "he", "if", "in",
                           "is", "it", "me", "my", "no", "of", "on", "or", "so", "to", "up",
                           "us", "we"})
_WORD_DOT_RE = re.compile(_WORD_DOT, re.IGNORECASE)
_LAST_LABEL = re.compile(r"[" + _WORD + r"\-]+\Z")

# Where an at-sign or an at-word may stand: found literally (fast), then read around.
_AT_CORE = re.compile(r"@|[aA][tT]")
_OPENING, _CLOSING = "[({<", "])}>"
_MAILTO = re.compile(r"mailto:[^\s<>\"'\])]*", re.IGNORECASE)

# What every address contains once decoded besides an at-sign: an at-word, bracketed or before a
# host and a dot. Searched in lower case from its literal "at", which the regex engine finds
# fast; what stands before it is checked then (scanning for a leading space was 3x slower).
_AT_WORD_TAIL = re.compile(r"at(?:(?P<closed>\s*[\])}>])|\s+[" + _WORD
                           + r"\-]+(?:\.|\s*[\[({<]|\s+dot\s))")
_OPENED = re.compile(r"[\[({<]\s*\Z")
# What a decoding round reads: character references, percent-escapes, non-ASCII characters.
_ENCODED = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?"
                      r"|(?:%[0-9A-Fa-f]{2})+|[^\x00-\x7f]+")

_ENCODED_OR_TAG = re.compile(r"<[^<>]*>|" + _ENCODED.pattern)
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|dl|dt|dd|td|th|tr|table|h[1-6]|blockquote|pre"
                        r"|hr|section|article|header|footer)\b", re.IGNORECASE)


# -- the decoded reading ----------------------------------------------------------------------

def _decoded_once(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text, errors="replace")
    return text


def _probe(text: str) -> str:
    """TEXT decoded as far as the gate reads it, without keeping where each character came from."""
    for _ in range(_DECODE_ROUNDS):
        decoded = _decoded_once(text)
        if decoded == text:
            break
        text = decoded
    return text


def _may_hold_address(probe: str) -> bool:
    if "@" in probe:
        return True
    lowered = probe.lower()
    for match in _AT_WORD_TAIL.finditer(lowered):
        start = match.start()
        if match.group("closed"):
            if _OPENED.search(lowered, max(0, start - 8), start):
                return True
        elif start > 0 and lowered[start - 1].isspace():
            return True
    return False


class _Reading:
    """A decoded reading of a text, and for each of its characters the span of the original
    text it came from (so that a match on the reading replaces the original characters)."""

    def __init__(self, text: str, markup: bool = False):
        self.text = text
        self.starts: list[int] | None = None  # None: the reading is the text itself
        self.ends: list[int] | None = None
        if not markup and text.isascii() and "&" not in text and "%" not in text:
            return  # nothing to decode: the reading is the text
        for round_number in range(_DECODE_ROUNDS):
            if not self._decode_round(markup and round_number == 0):
                break

    def _decode_round(self, markup: bool) -> bool:
        text = self.text
        pieces: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        position = 0
        changed = False
        for match in (_ENCODED_OR_TAG if markup else _ENCODED).finditer(text):
            token = match.group(0)
            if token[0] == "<":
                # Markup read as the page shows it: 'jo@<span>x.org</span>' is one address.
                decoded = "\n" if _BLOCK_TAG.match(token) else ""
            elif token[0] == "&":
                decoded = html.unescape(token)
            elif token[0] == "%":
                decoded = unquote(token, errors="replace")
            elif unicodedata.is_normalized("NFKC", token):
                continue
            else:
                # Character by character, so that a match maps back to its own characters.
                begin = match.start()
                if begin > position:
                    pieces.append(text[position:begin])
                    starts.extend(range(position, begin))
                    ends.extend(range(position + 1, begin + 1))
                for offset, char in enumerate(token):
                    folded = unicodedata.normalize("NFKC", char)
                    pieces.append(folded)
                    starts.extend([begin + offset] * len(folded))
                    ends.extend([begin + offset + 1] * len(folded))
                    changed = changed or folded != char
                position = match.end()
                continue
            if decoded == token:
                continue
            changed = True
            begin, end = match.span()
            if begin > position:
                pieces.append(text[position:begin])
                starts.extend(range(position, begin))
                ends.extend(range(position + 1, begin + 1))
            pieces.append(decoded)
            starts.extend([begin] * len(decoded))
            ends.extend([end] * len(decoded))
            position = end
        if not changed:
            return False
        pieces.append(text[position:])
        starts.extend(range(position, len(text)))
        ends.extend(range(position + 1, len(text) + 1))
        if self.starts is not None:  # compose with the rounds before
            starts = [self.starts[s] for s in starts]
            ends = [self.ends[e - 1] for e in ends]
        self.text, self.starts, self.ends = "".join(pieces), starts, ends
        return True

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


# -- finding ----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _top_level_domains() -> frozenset[str]:
    """The top-level domains of the public-suffix list bundled with tldextract (offline)."""
    import tldextract

    extractor = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(),
                                      fallback_to_snapshot=True)
    return frozenset(suffix.rsplit(".", 1)[-1].lower() for suffix in extractor.tlds)


def _local_start(text: str, end: int) -> int | None:
    """Where the local part that ends at END begins; None when there is none."""
    if end > 0 and text[end - 1] == '"':
        opening = text.rfind('"', max(0, end - 66), end - 1)
        if opening >= 0 and "\n" not in text[opening:end]:
            return opening
        return None
    match = _LOCAL_END.search(text, max(0, end - 64), end)
    if not match:
        return None
    start = match.start()
    while start < end and text[start] == ".":
        start += 1
    return start if start < end else None


def _marks(text: str):
    """(start, end, kind) of each at-mark in TEXT: 'bracket' ('(at)', '[ @ ]'), 'spaced'
    (' @ '), 'sign' ('@', ' @', '@ ') or 'word' (' at '); start and end take in the spaces and
    brackets around it."""
    length = len(text)
    for core in _AT_CORE.finditer(text):
        begin, end = core.span()
        start = begin
        while start > 0 and text[start - 1].isspace():
            start -= 1
        stop = end
        while stop < length and text[stop].isspace():
            stop += 1
        if start > 0 and text[start - 1] in _OPENING and stop < length \
                and text[stop] in _CLOSING:
            start -= 1
            stop += 1
            while start > 0 and text[start - 1].isspace():
                start -= 1
            while stop < length and text[stop].isspace():
                stop += 1
            yield start, stop, "bracket"
        elif text[begin] == "@":
            yield start, stop, ("spaced" if start < begin and stop > end else "sign")
        elif start < begin and stop > end:
            yield start, stop, "word"


def _address_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every address in TEXT (a decoded reading), in order."""
    spans = []
    for start, end, kind in _marks(text):
        if kind == "word":
            host = _HOST_AFTER_WORD.match(text, end)
            if host is None or not _weak_host_ends(text, host):
                continue
        elif kind == "sign":
            host = _HOST_AFTER_AT.match(text, end)
            if host is not None and end - start > 1 and not _has_dot(host.group(0)):
                continue  # 'see you @ home': a spaced at-sign and no dot is no address
        else:  # bracketed at, or an at-sign with spaces on both sides
            host = _HOST_SPACED.match(text, end)
        if host is None:
            continue
        local = _local_start(text, start)
        if local is not None:
            spans.append((local, host.end()))
    spans += [m.span() for m in _MAILTO.finditer(text)]
    return sorted(spans)


def _has_dot(host: str) -> bool:
    return "." in host or _WORD_DOT_RE.search(host) is not None


def _weak_host_ends(text: str, host: re.Match) -> bool:
    """After the bare word 'at': the host ends in a known top-level domain and is not followed
    by a path or more of a name ('the list at lists.example.org/info')."""
    after = text[host.end():host.end() + 2]
    if after[:1] and (after[0] in "/-" or after[0].isalnum() or after[0] == "_"
                      or (after[0] == "." and after[1:2].isalnum())):
        return False
    label = _LAST_LABEL.search(host.group(0))
    if label is None:
        return False
    tld = label.group(0).lower()
    if host.group(0)[label.start() - 1:label.start()] != ".":
        # A spelled 'dot' before it ('x at y dot org'): only a domain people spell out, lest
        # 'we met at the hotel dot com' or 'we at home dot at' read as one.
        return tld in _SPELLED_TLDS or (len(tld) == 2 and tld not in _WORDS_OF_TWO
                                        and tld in _top_level_domains())
    return tld in _top_level_domains()


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spans_in(text: str) -> list[tuple[int, int]]:
    """Spans of the original TEXT that hold an address, merged."""
    reading = _Reading(text)
    return _merged([reading.original_span(start, end)
                    for start, end in _address_spans(reading.text)])


# -- the gate ---------------------------------------------------------------------------------

def contains_address(text: str | None) -> bool:
    """Whether TEXT holds an e-mail address in any form the gate knows."""
    if not text:
        return False
    probe = _probe(text)
    if not _may_hold_address(probe):
        return False
    return bool(_address_spans(probe))


def redact(text: str | None, replacement: str = REDACTED) -> str | None:
    """TEXT with every e-mail address replaced by REPLACEMENT; the rest kept as it was."""
    if not text:
        return text
    if not _may_hold_address(_probe(text)):
        return text  # the common case, and the cheap one: no at-sign, no at-word
    return _replaced(text, _spans_in(text), replacement)


def _replaced(text: str, spans: list[tuple[int, int]], replacement: str) -> str:
    if not spans:
        return text
    pieces, position = [], 0
    for start, end in spans:
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_html(markup: str | None) -> str | None:
    """HTML with every address replaced, in its text and its attributes, and also where tags
    split one ('jo@<span>x.org</span>'). A replacement may leave a tag unclosed: sanitise the
    result again (scrapers/parse/sanitise.py does)."""
    markup = redact(markup)
    if not markup or not _may_hold_address(_probe(re.sub(r"<[^<>]*>", "", markup))):
        return markup
    reading = _Reading(markup, markup=True)
    spans = _merged([reading.original_span(start, end)
                     for start, end in _address_spans(reading.text)])
    return _replaced(markup, spans, REDACTED)


def find_addresses(text: str | None) -> list[str]:
    """The addresses in TEXT, each as 'local@host' in lower case (dot words made dots)."""
    if not text:
        return []
    probe = _probe(text)
    found = []
    for start, end in _merged(_address_spans(probe)):
        written = probe[start:end]
        if written.lower().startswith("mailto:"):
            written = written[len("mailto:"):].split("?", 1)[0]
        mark = next(_marks(written), None)
        if mark is None:
            continue
        local = written[:mark[0]].strip('"')
        host = re.sub(_WORD_DOT + r"|\s*\.\s*", ".", written[mark[1]:], flags=re.IGNORECASE)
        found.append(f"{local}@{host}".lower())
    return found


def redact_url(url: str | None) -> str | None:
    """An address of a page with the e-mail addresses in it (its path, its query, a user name
    before the host) replaced by 'address-removed': still an address, and still the same page's
    for everything but the person's address."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact(url, URL_REDACTED)
    if "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        url = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return redact(url, URL_REDACTED)


# Suffixes kept apart when a file name is made safe, so that 'jo@x.org.mbox.gz' keeps its type.
_FILE_SUFFIXES = re.compile(r"(?:\.(?:mbox|mbx|txt|eml|gz|bz2|xz|zip|warc|arc|wacz|cdxj?))+\Z",
                            re.IGNORECASE)


def safe_file_name(name: str) -> str:
    """A file name as the build may store it: no address, no folder, plain characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = _FILE_SUFFIXES.search(name)
    stem, extension = (name[:suffix.start()], suffix.group(0)) if suffix else (name, "")
    stem = redact(stem, URL_REDACTED) or ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "file"
    return stem[:100] + extension.lower()


def import_label(sha256_hex: str, given_name: str) -> str:
    """How an imported file is named in every stored row: 'import:<sha256 prefix>/<safe name>'.
    Never a local path: the folder a user imported from is theirs, not the record's."""
    return f"import:{sha256_hex[:12]}/{safe_file_name(given_name)}"


def stored_import_name(sha256_hex: str, given_name: str) -> str:
    """The name an imported file is stored under: '<sha256 prefix>-<safe name>'."""
    return f"{sha256_hex[:12]}-{safe_file_name(given_name)}"


__all__ = ["REDACTED", "URL_REDACTED", "contains_address", "find_addresses", "import_label",
           "redact", "redact_html", "redact_url", "safe_file_name", "stored_import_name"]

"""A message's own words: quoted replies, attribution lines, signatures, list footers and
scrubbed-attachment notes cut, and every e-mail address (clear, pipermail's `name at domain`,
`mailto:`) replaced by `[address]`.

Plain functions of a string (no network, no database), so that a better cleaner only needs a
rebuild from the raw mbox kept under data/raw/. What is cut, and why, is in the README
("What is stored of a message").
"""

from __future__ import annotations

import re

REDACTED = "[address]"

_ATTRIBUTION_WORDS = ("wrote", "writes", "schrieb", "escribió", "a écrit", "escreveu", "scrisse",
                      "napisał", "skrev")
# A line that starts a block of someone else's words, after which nothing is the author's own:
# the signature separator ("-- ", often stripped to "--" by archives), Mailman's footer rule,
# Outlook's "Original Message" banner, and pipermail's attachment notice.
_CUT_LINE = re.compile(
    r"^(?:-- ?|_{20,}|-{3,} ?Original Message ?-{3,}|-+ next part -+)\s*$",
    re.MULTILINE | re.IGNORECASE)
# Outlook replies without a banner: "From: X [mailto:...]" followed by "Sent:" / "Date:".
_OUTLOOK_HEADER = re.compile(r"^From: .*\n(?:.*\n){0,2}?(?:Sent|Date): ", re.MULTILINE)
# "> text", " > text", ">> text", and supercite's "Herbert> text".
_QUOTED = re.compile(r"^\s*(?:>|[A-Za-z]{1,15}>(?:\s|$))")
# Host names as in e-mail addresses: labels with dots, a letter TLD.
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\s*(?:\.|\s(?:dot|\(dot\)|\[dot\])\s)\s*" \
        r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?:\.|\s(?:dot|\(dot\)|\[dot\])\s)[A-Za-z]{2,}"
# mailto: links carry an address in any form, with ?subject=... after it: cut to the next space.
_MAILTO = re.compile(r"mailto:(?:\[address\]|[^\s<>\"')\]]*)", re.IGNORECASE)
# "jo@example.org", "jo @ example.org", "jo at example.org" (pipermail), "jo (at) example.org",
# "jo [at] example dot org". After the host, a "/" means a web address ("the list at
# lists.example.org/info"), which is kept.
_ADDRESS = re.compile(
    r"[\w.+%'-]+(?:\s*@\s*|\s+(?:at|\(at\)|\[at\])\s+)" + _HOST + r"(?![\w/-]|\.\w)",
    re.IGNORECASE)


def _cut_at_first_foreign_block(body: str) -> str:
    """Everything from the first signature, footer or forwarded-reply banner on is cut.

    A banner with nothing of the author's before it opens an inline reply ("-----Original
    Message-----", then quoted lines answered one by one): only the banner goes.
    """
    while True:
        cuts = [m for m in (_CUT_LINE.search(body), _OUTLOOK_HEADER.search(body)) if m]
        if not cuts:
            return body
        first = min(cuts, key=lambda m: m.start())
        before = body[:first.start()]
        if first.re is _CUT_LINE and "original message" in first.group(0).lower() \
                and not any(line.strip() and not _QUOTED.match(line)
                            for line in before.split("\n")):
            body = before + body[first.end():]
            continue
        return before


def _is_attribution(line: str) -> bool:
    """'On 3 May, Jo wrote:' and its translations, which introduce someone else's words."""
    stripped = line.rstrip()
    return stripped.endswith(":") and any(word in stripped.lower() for word in _ATTRIBUTION_WORDS)


def own_text(body: str) -> str:
    """The author's own words: no quoted lines, no attribution line, no signature or footer."""
    body = _cut_at_first_foreign_block(body.replace("\r\n", "\n"))
    lines = body.split("\n")
    kept: list[str] = []
    previous_kept = False  # whether the line just before this one was kept
    for line in lines:
        quoted = _QUOTED.match(line)
        # An attribution ends with ':' (most lines hold none: the cheap test goes first).
        if ":" in line and _is_attribution(line[quoted.end():] if quoted else line):
            # A long "On <date>, <name>\n<address> wrote:" wraps: drop its first half too.
            # (the second half may be quoted: "On ..., Jo <jo at\n> example.org> wrote:").
            if previous_kept and kept[-1].lstrip().startswith("On ") \
                    and not kept[-1].rstrip().endswith("."):
                kept.pop()
            previous_kept = False
            continue
        previous_kept = not quoted
        if not quoted:
            kept.append(line)
    return "\n".join(kept)


# What every at-word match of _ADDRESS contains (its local part aside): the pre-check above.
_AT_WORD_HOST = re.compile(r"\s(?:at|\(at\)|\[at\])\s+" + _HOST, re.IGNORECASE)


def redact_addresses(text: str) -> str:
    """Every e-mail address, in any of the forms archives write it, replaced by `[address]`."""
    if not text:
        return text
    # Most texts hold no address at all. _ADDRESS's open-ended local part is retried at every
    # letter (about a third of the list's parse time), so first look for what every match must
    # contain: an "@", an at-word followed by a host, or "mailto:". The result is the same.
    if "@" not in text and "mailto:" not in text.lower() and not _AT_WORD_HOST.search(text):
        return text
    # Addresses first: "mailto:jo at example.org" holds spaces a mailto: pattern stops at.
    return _MAILTO.sub(REDACTED, _ADDRESS.sub(REDACTED, text))


def clean_message_text(body: str) -> str:
    """What is stored of a message: its own words, stripped, with no address left in them.

    A message that is nothing but a quote keeps an empty text, never the quote.
    """
    return clean_own_text(own_text(body or ""))


def clean_own_text(own: str) -> str:
    """clean_message_text for a body whose own_text is already at hand."""
    return _BLANK_LINES.sub("\n\n", redact_addresses(own)).strip()


_BLANK_LINES = re.compile(r"\n{3,}")

"""A message's own words: quoted replies, attribution lines, signatures, list footers and
scrubbed-attachment notes cut, every e-mail address replaced by `[address]` (the privacy gate,
bestbits/privacy/addresses.py), and the whole held to a cap (TEXT_CAP_BYTES).

Plain functions of a string (no network, no database), so that a better cleaner only needs a
rebuild from the raw mbox kept under data/raw/. What is cut, and why, is in the README
("What is stored of a message").
"""

from __future__ import annotations

import re

from bestbits.privacy import redact

# The most a message's stored text may hold, in UTF-8 bytes (README, "What is stored of a
# message"): a 20 MB body made a build take 55 s instead of 8 s and the reading pane 7 s.
TEXT_CAP_BYTES = 1_000_000

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


def clean_message_text(body: str) -> str:
    """What is stored of a message: its own words, stripped, with no address left in them.

    A message that is nothing but a quote keeps an empty text, never the quote.
    """
    return clean_own_text(own_text(body or ""))


def clean_own_text(own: str) -> str:
    """clean_message_text for a body whose own_text is already at hand."""
    return _BLANK_LINES.sub("\n\n", redact(own)).strip()


def capped(text: str, cap: int = TEXT_CAP_BYTES) -> tuple[str, bool]:
    """TEXT cut to at most CAP bytes of UTF-8 (at a character boundary), and whether it was."""
    if len(text) * 4 <= cap or len(encoded := text.encode("utf-8")) <= cap:
        return text, False
    return encoded[:cap].decode("utf-8", errors="ignore"), True


_BLANK_LINES = re.compile(r"\n{3,}")

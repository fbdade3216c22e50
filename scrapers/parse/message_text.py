"""A message's own words: quoted replies, attribution lines, signatures and footers cut,
and every e-mail address (clear, `name at domain`, `mailto:`) replaced by `[address]`."""

from __future__ import annotations

import re

_ATTRIBUTION_WORDS = ("wrote", "schrieb", "escribió", "a écrit", "escreveu")
_SIGNATURE_OR_LIST_FOOTER = re.compile(r"^(-- |_{20,}|-{5,} ?Original Message ?-{5,})$",
                                       re.MULTILINE)
# pipermail writes addresses as `name at domain`; mailto: links may carry either form.
_ADDRESS = re.compile(
    r"(?:mailto:)?[\w.+%-]+(?:@|\s+at\s+)(?:[\w-]+\.)+[A-Za-z]{2,}", re.IGNORECASE)


def own_text(body: str) -> str:
    """The author's own words: no quoted lines, no attribution line, no signature or footer."""
    if "-- " in body or "____" in body or "-----" in body:  # skip the regex when it cannot match
        cut = _SIGNATURE_OR_LIST_FOOTER.search(body)
        if cut:
            body = body[:cut.start()]
    if (not body.startswith(">") and "\n>" not in body
            and not any(word in body for word in _ATTRIBUTION_WORDS)):
        return body  # nothing quoted: the common case of a new message, kept fast
    return "\n".join(line for line in body.split("\n")
                     if not line.startswith(">") and not _is_attribution(line))


def _is_attribution(line: str) -> bool:
    """'On 3 May, Jo wrote:' and its translations, which name someone else's words."""
    stripped = line.rstrip()
    return stripped.endswith(":") and any(word in stripped for word in _ATTRIBUTION_WORDS)


def redact_addresses(text: str) -> str:
    return _ADDRESS.sub("[address]", text)


def clean_message_text(body: str) -> str:
    """What is stored of a message: its own words, stripped, with no address left in them."""
    return redact_addresses(own_text(body)).strip()

"""Tell the language of a page, a statement or a message: from its address, its `<html lang>`, or
its words.

The order is the order of trust. bestbits.net put its translations under /es/, /fr/ and /pt/
(and WPML's `?lang=es`), so an address prefix is the site's own word; `<html lang>` is the
theme's, which some translated pages left at `en-US`, so it comes second; the words come last,
read by CLD2 (Chromium's compact language detector, compiled, its tables inside the `pycld2`
wheel, so nothing is downloaded at run time). Only the languages the network wrote in count:
an answer outside them, or one CLD2 itself does not call reliable, gives None, because on
short texts a detector names languages nobody used here. Too little text gives None: a
language is never guessed from a few words.

CLD2 replaced py3langid (issue 20), whose tokenizer walked every byte in Python: on the 203
real peer messages CLD2 gives the same answer for all 203 (py3langid's None included) at
about a quarter of the CPU time (benchmarks/bench_mbox.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pycld2

# The languages of the site and the lists (the site's translations, and the lists' posters).
LANGUAGES = ("en", "es", "fr", "pt")
# Below this many letters the detector is wrong too often to be worth a value (a title, a
# one-line message "+1"); measured on the fixture titles, not a published figure.
MIN_LETTERS = 25
# How much of a text the detector reads: the opening of a message's own words names its
# language as well as the whole does (the 203 real peer messages: the same answer for every
# one at 300 characters as at the whole text), and a page's first 4,000 characters do.
MESSAGE_PREFIX = 300
TEXT_PREFIX = 4000

_PREFIX = re.compile(r"^/(es|fr|pt|en)(?:/|$)", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
# CLD2 refuses control characters and lone surrogates (invalid UTF-8) with an error.
_UNREADABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def language_of_url(url: str | None) -> str | None:
    """'es' for https://bestbits.net/es/... or ...?lang=es; None when the address says nothing."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    match = _PREFIX.match(parts.path or "")
    if match:
        return match.group(1).lower()
    lang = (parse_qs(parts.query).get("lang") or [""])[0].lower()
    return lang if lang in LANGUAGES else None


def language_of_tag(html_lang: str | None) -> str | None:
    """'es-ES' -> 'es', 'pt_BR' -> 'pt'; a tag outside LANGUAGES is kept as its primary subtag."""
    if not html_lang:
        return None
    primary = re.split(r"[-_]", html_lang.strip().lower())[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _identify(text: str) -> str | None:
    """CLD2's language for TEXT when it is reliable and one of LANGUAGES, else None."""
    if not _enough_letters(text):
        return None
    try:
        reliable, _bytes, details = pycld2.detect(_UNREADABLE.sub(" ", text), isPlainText=True)
    except pycld2.error:
        return None
    code = details[0][1] if details else None
    return code if reliable and code in LANGUAGES else None


def language_of_text(text: str | None) -> str | None:
    """The language of `text`'s words, among LANGUAGES; None when unsure."""
    return _identify(text[:TEXT_PREFIX]) if text else None


def _enough_letters(text: str) -> bool:
    """At least MIN_LETTERS letters in `text`, without counting every letter of a long text."""
    found = 0
    for _letter in _LETTERS.finditer(text):
        found += 1
        if found >= MIN_LETTERS:
            return True
    return False


def language_of_message(text: str | None) -> str | None:
    """`language_of_text` for a list message, read from its first MESSAGE_PREFIX characters."""
    return _identify(text[:MESSAGE_PREFIX]) if text else None


def detect_language(text: str | None, url: str | None = None,
                    html_lang: str | None = None) -> str | None:
    """The language of an item: its address prefix, else its `<html lang>`, else its words.

    Returns an ISO 639-1 code ('en', 'es', 'fr', 'pt') or None when nothing tells.
    """
    return language_of_url(url) or language_of_tag(html_lang) or language_of_text(text)


__all__ = ["LANGUAGES", "detect_language", "language_of_tag", "language_of_message",
           "language_of_text", "language_of_url"]

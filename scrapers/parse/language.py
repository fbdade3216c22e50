"""Tell the language of a page, a statement or a message: from its address, its `<html lang>`, or
its words.

The order is the order of trust. bestbits.net put its translations under /es/, /fr/ and /pt/
(and WPML's `?lang=es`), so an address prefix is the site's own word; `<html lang>` is the
theme's, which some translated pages left at `en-US`, so it comes second; the words come last,
read by py3langid (a maintained fork of langid.py whose model ships inside the package, so
nothing is downloaded at run time). The detector is restricted to the languages the network
wrote in, because on short texts an unrestricted detector names languages nobody used here.
Too little text gives None: a language is never guessed from a few words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

# The languages of the site and the lists (the site's translations, and the lists' posters).
LANGUAGES = ("en", "es", "fr", "pt")
# Below this many letters the detector is wrong too often to be worth a value (a title, a
# one-line message "+1"); measured on the fixture titles, not a published figure.
MIN_LETTERS = 25
# py3langid's normalised probability below which its answer is not kept.
MIN_CONFIDENCE = 0.75
# How much of a message the detector reads. Its tokenizer walks every byte in Python (~0.7 us
# a byte on the shared machine), so a list of 200,000 messages would spend most of its ingest
# here; the opening of a message's own words names its language as well as the whole does
# (the 203 real peer messages: the same answer for every one at 300 characters as at 4,000).
MESSAGE_PREFIX = 300

_PREFIX = re.compile(r"^/(es|fr|pt|en)(?:/|$)", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


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


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def language_of_text(text: str | None) -> str | None:
    """The language py3langid reads in `text`, among LANGUAGES; None when unsure."""
    if not text or len(_LETTERS.findall(text[:4000])) < MIN_LETTERS:
        return None
    lang, confidence = _identifier().classify(text[:4000])
    return lang if confidence >= MIN_CONFIDENCE else None


def _enough_letters(text: str) -> bool:
    """At least MIN_LETTERS letters in `text`, without counting every letter of a long text."""
    found = 0
    for _letter in _LETTERS.finditer(text):
        found += 1
        if found >= MIN_LETTERS:
            return True
    return False


def language_of_message(text: str | None) -> str | None:
    """`language_of_text` for a list message, read from its first MESSAGE_PREFIX characters.

    The detector's model is loaded on the first call, so a process that never classifies a
    message (the build's main process, when workers parse) never loads it.
    """
    if not text:
        return None
    opening = text[:MESSAGE_PREFIX]
    if not _enough_letters(opening):
        return None
    lang, confidence = _identifier().classify(opening)
    return lang if confidence >= MIN_CONFIDENCE else None


def detect_language(text: str | None, url: str | None = None,
                    html_lang: str | None = None) -> str | None:
    """The language of an item: its address prefix, else its `<html lang>`, else its words.

    Returns an ISO 639-1 code ('en', 'es', 'fr', 'pt') or None when nothing tells.
    """
    return language_of_url(url) or language_of_tag(html_lang) or language_of_text(text)


__all__ = ["LANGUAGES", "detect_language", "language_of_tag", "language_of_message",
           "language_of_text", "language_of_url"]

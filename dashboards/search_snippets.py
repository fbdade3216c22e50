"""Snippets of a hit's text around the searched words, escaped, with the words marked."""

from __future__ import annotations

import html
import re

_WORD = re.compile(r"[\w'-]{2,}", re.UNICODE)


def searched_words(query: str | None) -> list[str]:
    """The words of a search as the snippet marks them (BM25 stems: a word's start matches)."""
    return sorted({w.lower() for w in _WORD.findall(query or "")}, key=len, reverse=True)


def _stem(word: str) -> str:
    # Close to what the English stemmer keeps: 'surveillance' also marks 'surveil...'.
    return word[:max(4, len(word) - 3)] if len(word) > 6 else word


def snippet_html(text: str | None, query: str | None, width: int = 90, most: int = 2) -> str:
    """Up to MOST passages of TEXT around the searched words (HTML: escaped, words in <mark>).

    Text without a match gives its beginning; an empty text gives an empty string.
    """
    if not isinstance(text, str) or not text.strip():
        return ""
    flat = " ".join(text.split())
    words = searched_words(query)
    if not words:
        return html.escape(flat[:2 * width]) + ("…" if len(flat) > 2 * width else "")
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(_stem(w)) for w in words) + r")\w*",
                         re.IGNORECASE)
    passages, last_end = [], -1
    for match in pattern.finditer(flat):
        if match.start() < last_end:
            continue
        start, end = max(0, match.start() - width), min(len(flat), match.end() + width)
        if start:  # begin and end on whole words
            start = flat.find(" ", start, match.start()) + 1 or start
        if end < len(flat):
            end = flat.rfind(" ", match.end(), end) if flat.rfind(" ", match.end(), end) > 0 else end
        passages.append((start, end))
        last_end = end
        if len(passages) == most:
            break
    if not passages:
        return html.escape(flat[:2 * width]) + ("…" if len(flat) > 2 * width else "")
    parts = []
    for start, end in passages:
        piece = flat[start:end]
        marked, position = [], 0
        for match in pattern.finditer(piece):
            marked.append(html.escape(piece[position:match.start()]))
            marked.append(f"<mark>{html.escape(match.group(0))}</mark>")
            position = match.end()
        marked.append(html.escape(piece[position:]))
        parts.append(("…" if start else "") + "".join(marked) + ("…" if end < len(flat) else ""))
    return " ".join(parts)

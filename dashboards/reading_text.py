"""Texts to read (a statement, a message): archived HTML cleaned for display, and a long text cut
into pages of about PAGE_CHARS characters, each page whole HTML, so that a reading pane shows one
page at a time."""

from __future__ import annotations

import html
import re

import nh3

from bestbits.links import archived_address

PAGE_CHARS = 20_000

# What the reading pane may show of archived HTML: structure and links, nothing that runs or
# loads from elsewhere (no scripts, no event handlers, no images, no styles).
READING_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "blockquote", "h2",
                "h3", "h4", "h5", "table", "thead", "tbody", "tr", "td", "th", "a", "hr"}
_VOID = {"br", "hr", "img", "wbr", "col", "input", "meta", "link", "area", "base", "source"}
# Where a page may end early (a closed block), once it holds most of a page.
_BLOCKS = {"p", "li", "ul", "ol", "blockquote", "h2", "h3", "h4", "h5", "table", "tr", "hr", "br"}
# A tag as the sanitiser writes it (attribute values double-quoted; ">" may occur inside them).
_TAG = re.compile(r"(<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)")
_TAG_NAME = re.compile(r"^</?\s*([A-Za-z][A-Za-z0-9]*)")


def sanitise_for_display(fragment: str, as_of: object = None) -> str:
    """Archived HTML is untrusted: clean it again at display, whatever the parser did. With
    AS_OF (the date of the capture the text came from), a link in the text opens the web
    archive's copy nearest that date, as every source does (bestbits.links)."""
    def archived(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href" and as_of:
            return archived_address(value, as_of)
        return value

    return nh3.clean(fragment, tags=READING_TAGS, attributes={"a": {"href", "title"}},
                     attribute_filter=archived, url_schemes={"http", "https"},
                     link_rel="noopener noreferrer nofollow", strip_comments=True)


def _visible(text: str) -> int:
    return len(html.unescape(text))


def _cut(text: str, room: int) -> int:
    """Where to cut TEXT (HTML-escaped) so that at most ROOM visible characters come before:
    after the last whitespace that fits, else 0 (the text starts the next page)."""
    if _visible(text) <= room:
        return len(text)
    # Whitespace never sits inside an entity, so a cut there leaves entities whole.
    visible, last, end = 0, 0, 0
    for match in re.finditer(r"\s+", text):
        visible += _visible(text[last:match.end()])
        last = match.end()
        if visible > room:
            break
        end = match.end()
    return end


def _hard_cut(text: str, room: int) -> int:
    """A cut inside a word longer than a page: at ROOM visible characters, outside entities."""
    visible, position = 0, 0
    while position < len(text) and visible < room:
        entity = re.match(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);", text[position:])
        position += entity.end() if entity else 1
        visible += 1
    return position


def html_pages(fragment: str, size: int = PAGE_CHARS) -> list[str]:
    """FRAGMENT (sanitised, well-formed HTML) as pages of at most SIZE visible characters.

    A page ends after a closed block once it holds three quarters of a page, else inside a text
    at a space; the elements open at a cut are closed on one page and opened again on the next.
    """
    pages: list[str] = []
    current: list[str] = []
    stack: list[tuple[str, str]] = []   # (name, opening tag) of the open elements
    count = 0

    def end_page() -> None:
        nonlocal current, count
        current.extend(f"</{name}>" for name, _tag in reversed(stack))
        pages.append("".join(current))
        current, count = [tag for _name, tag in stack], 0

    for token in _TAG.split(fragment):
        if not token:
            continue
        if _TAG.fullmatch(token):
            name_match = _TAG_NAME.match(token)
            name = name_match.group(1).lower() if name_match else ""
            current.append(token)
            if token.startswith("</"):
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == name:
                        del stack[depth:]
                        break
            elif name and name not in _VOID and not token.endswith("/>"):
                stack.append((name, token))
            if name in _BLOCKS and (token.startswith("</") or name in _VOID) and \
                    count >= size * 3 // 4:
                end_page()
            continue
        while count + _visible(token) > size:
            cut = _cut(token, size - count)
            if cut == 0 and count == 0:
                cut = _hard_cut(token, size)
            if cut:
                current.append(token[:cut])
                count += _visible(token[:cut])
                token = token[cut:]
            end_page()
        if token:
            current.append(token)
            count += _visible(token)
    if count or not pages:
        current.extend(f"</{name}>" for name, _tag in reversed(stack))
        pages.append("".join(current))
    return pages


def plain_pages(text: str, size: int = PAGE_CHARS) -> list[str]:
    """Plain TEXT as pages of at most SIZE characters, cut at a paragraph, a line or a space."""
    pages = []
    while len(text) > size:
        window = text[:size + 1]
        cut = size
        for separator in ("\n\n", "\n", " "):
            at = window.rfind(separator)
            if at >= max(size // 2, 1):  # not a page of a few words, nor an empty one
                cut = min(at, size)
                break
        pages.append(text[:cut])
        text = text[cut:]
    pages.append(text)
    return pages

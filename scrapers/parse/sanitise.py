"""Make archived HTML safe to display (no scripts, no event handlers, no remote loads) and plain.

Archived pages carry whatever the live site and its plugins injected, and the replay archive
may add its own. What the dashboards display passes through `sanitise_html`; what search reads
is `plain_text`. Both pass the privacy gate (bestbits/privacy/addresses.py): no address in any
form survives in the text, in an attribute, or split by tags.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin

import nh3

from bestbits.privacy import redact, redact_html
from scrapers.parse.tree import read_document

# Structure and emphasis only. Images, frames, media and styles are left out because each
# would make a reader's browser fetch from a remote host (or from the archive) on display.
ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
# No mailto: the archive keeps no e-mail address.
URL_SCHEMES = frozenset({"http", "https"})
# Their content is code or markup for machines, not text: drop it along with the tag.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "noscript", "template", "iframe", "object",
                                  "embed", "svg", "math", "title", "head"})


def sanitise_html(html: str | None, base_url: str | None = None) -> str:
    """HTML that is safe to display: structure and links kept, everything active removed.

    With `base_url` (the page's own address), relative links are made absolute, because the
    dashboard that displays the text is not the site they were relative to.
    """
    if not html:
        return ""

    def absolute(_element: str, attribute: str, value: str) -> str | None:
        if attribute == "href" and base_url and not re.match(r"^[a-z][a-z0-9+.-]*:", value,
                                                             re.IGNORECASE):
            return urljoin(base_url, value)
        return value

    options = {
        "tags": set(ALLOWED_TAGS), "clean_content_tags": set(DROPPED_WITH_CONTENT),
        "attributes": {tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        "url_schemes": set(URL_SCHEMES), "link_rel": "noopener noreferrer nofollow",
        "strip_comments": True,
    }
    clean = nh3.clean(html, attribute_filter=absolute, **options)
    redacted = redact_html(clean)
    if redacted != clean:
        # A replacement can leave a tag it cut through unclosed: clean once more.
        redacted = nh3.clean(redacted, **options)
    return redacted.strip()


def html_text(document: str) -> str:
    """The text an HTML document (an HTML-only mail) shows, one line per line, with quoted
    blocks marked '> ' as plain mail marks them, so that the quote is cut like any other. Not
    redacted: its caller passes it through the gate with the rest of the message."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(document)
    for quote in tree.css("blockquote"):
        lines = read_document(f"<body>{quote.html}</body>").text.split("\n")
        marked = "".join(f"<p>&gt; {html_lib.escape(line)}</p>" for line in lines)
        quote.replace_with(LexborHTMLParser(f"<div>{marked}</div>").css_first("div"))
    return read_document(tree.html or "").text


def plain_text(html: str | None) -> str:
    """The text a person reads, one line per line of the page, for search and previews."""
    if not html:
        return ""
    text = read_document(f"<body>{html}</body>").text
    return redact(re.sub(r"\n{3,}", "\n\n", text)).strip()

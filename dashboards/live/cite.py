"""How to cite a live view: under every page, the database's edition id (the one `bestbits publish`
gives the same database: bestbits/edition_identity.py), its build date, the program's version, the
view's absolute permalink, a "how to cite this view" line in the words of the edition's own, and
the citation as CSL-JSON and BibTeX files.

The kernel knows the view's query string; the browser knows the address the dashboard is served
at (dashboards/live/location.py reports it). Until it has, the permalink is shown relative. Every
value is escaped here: the permalink carries the words a visitor typed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import quote

from bestbits import __version__
from bestbits.edition_identity import EditionIdentity
from bestbits.edition_metadata import CITE_FACTS, CREATORS, SOFTWARE, TITLE

# What the browser reports as the page's address (origin and path) is used only when it is one.
_PAGE_ADDRESS = re.compile(r"https?://[^\s\"'<>?#]+")
NOT_COMPUTED = "not computed"


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")


def absolute_permalink(address: str, query_string: str) -> str:
    """The view's address: ADDRESS (the page's origin and path, from the browser) and its query
    string; the query string alone while the address is not known."""
    return (address if _PAGE_ADDRESS.fullmatch(address or "") else "") + query_string


def _date_parts(day: str) -> dict[str, list[list[int]]]:
    return {"date-parts": [[int(part) for part in day.split("-")]]}


def citation_key(identity: EditionIdentity | None, page_id: str) -> str:
    return f"{SOFTWARE}-{identity.identifier if identity else 'live'}-{page_id}"


def csl_json(identity: EditionIdentity | None, page_id: str, page_title: str, permalink: str,
             accessed: str) -> str:
    """The view as a CSL-JSON item (a dataset, as the edition's CITATION.cff types it)."""
    item: dict[str, object] = {
        "id": citation_key(identity, page_id),
        "type": "dataset",
        "title": f"{TITLE}: {page_title} (live dashboard)",
        "author": [{"literal": name} for name in CREATORS],
        "publisher": CREATORS[0],
        "genre": "live dashboard view",
        "URL": permalink,
        "accessed": _date_parts(accessed),
    }
    if identity is not None:
        item["version"] = identity.identifier
        item["issued"] = _date_parts(identity.built)
        item["note"] = (f"Edition {identity.identifier}, built {identity.built} with {SOFTWARE} "
                        f"{identity.version}; content hash (sha256 of the tables) "
                        f"{identity.content_sha256}. {CITE_FACTS}")
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


def _bib(text: str) -> str:
    # Braces and backslashes are BibTeX's syntax; the values here are our titles and a URL
    # whose query is percent-encoded, so none is expected: any that came would be dropped.
    return re.sub(r"[{}\\]", "", text)


def bibtex(identity: EditionIdentity | None, page_id: str, page_title: str, permalink: str,
           accessed: str) -> str:
    """The view as a BibTeX (biblatex) @misc entry."""
    fields = [("author", "{" + " and ".join(CREATORS) + "}"),
              ("title", f"{TITLE}: {page_title} (live dashboard)"),
              ("url", permalink), ("urldate", accessed)]
    if identity is not None:
        fields += [("date", identity.built), ("year", identity.built[:4]),
                   ("version", identity.identifier),
                   ("note", f"Edition {identity.identifier}, built {identity.built} with "
                            f"{SOFTWARE} {identity.version}")]
    body = ",\n".join(f"  {name} = {{{_bib(value) if name != 'author' else value}}}"
                      for name, value in fields)
    return f"@misc{{{citation_key(identity, page_id)},\n{body}\n}}\n"


def _data_url(mediatype: str, text: str) -> str:
    return f"data:{mediatype};charset=utf-8,{quote(text, safe='')}"


def cite_html(identity: EditionIdentity | None, page_id: str, page_title: str, query_string: str,
              address: str, accessed: str | None = None) -> str:
    """The footer under a live page: edition, build date, version, absolute permalink, the
    "how to cite this view" line and the citation downloads."""
    accessed = accessed or today()
    permalink = absolute_permalink(address, query_string)
    edition = identity.identifier if identity else f"id {NOT_COMPUTED}"
    built = identity.built if identity else NOT_COMPUTED
    version = identity.version if identity else __version__
    e = html.escape
    link = f"<a class='bb-cite-permalink bb-permalink' href='{e(permalink)}'>{e(permalink)}</a>"
    files = re.sub(r"[^A-Za-z0-9-]", "", citation_key(identity, page_id))
    csl = _data_url("application/vnd.citationstyles.csl+json",
                    csl_json(identity, page_id, page_title, permalink, accessed))
    bib = _data_url("application/x-bibtex", bibtex(identity, page_id, page_title, permalink, accessed))
    return (
        "<div class='bb-cite' style='font-size:12px;color:#555;margin-top:6px'>"
        f"<p style='margin:2px 0'>Edition <span class='bb-edition'>{e(edition)}</span> · built "
        f"<span class='bb-built'>{e(built)}</span> · {SOFTWARE} "
        f"<span class='bb-version'>{e(version)}</span> · permalink {link}</p>"
        f"<p class='bb-cite-line' style='margin:2px 0'><b>How to cite this view:</b> Best Bits "
        f"archive, live dashboard, edition {e(edition)}, “{e(page_title)}”, {e(permalink)}, "
        f"accessed {e(accessed)}. Built {e(built)} with {SOFTWARE} {e(version)}. "
        f"{e(CITE_FACTS)}</p>"
        f"<p style='margin:2px 0'>Citation of this view: "
        f"<a class='bb-cite-csl' download='{e(files)}.json' href='{e(csl)}'>CSL-JSON</a> · "
        f"<a class='bb-cite-bibtex' download='{e(files)}.bib' href='{e(bib)}'>BibTeX</a></p>"
        "</div>")

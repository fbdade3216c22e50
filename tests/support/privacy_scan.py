"""Look for e-mail addresses in everything the tool writes, independently of the privacy gate.

The pattern here is written from the list of forms in issue 16, not from
bestbits/privacy/addresses.py, and decodes with the standard library only, so that a test using
it checks the gate rather than repeating it. It errs the other way: it takes any `<word> at
<word>.<tld>` for an address, so a corpus scanned with it must not hold such prose.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import unquote

import duckdb

_AT = r"(?:\s*@\s*|\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s+\.\s+)"
ADDRESS = re.compile(
    r"(?:[\w.+%-]+|\"[^\"\n]+\")(?P<at>" + _AT + r")(?:\[[0-9a-f:.]+\]|[\w-]+(?:" + _DOT
    + r"[\w-]+)*" + _DOT + r"[^\W\d_]{2,})", re.IGNORECASE)
MAILTO = re.compile(r"mailto:\s*\S", re.IGNORECASE)


def decoded(text: str) -> str:
    """TEXT as a reader sees it: character references, percent-escapes and compatibility forms
    undone, twice over."""
    for _ in range(3):
        text = unicodedata.normalize("NFKC", unquote(html.unescape(text)))
    return text


def addresses_in(text: str | None) -> list[str]:
    """The addresses (or mailto: links) in TEXT, in any form issue 16 lists."""
    if not text:
        return []
    plain = decoded(text)
    found = [m.group(0) for m in ADDRESS.finditer(plain)
             # a web address after the word "at" ('the list at lists.x.org/info') is no address
             if not (m.group("at").strip().lower() == "at" and plain[m.end():m.end() + 1] == "/")]
    return found + [m.group(0) for m in MAILTO.finditer(plain)]


def stored_values(db: Path) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value of every table of DB, index tables included."""
    values = []
    with duckdb.connect(str(db), read_only=True) as con:
        columns = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'VARCHAR'").fetchall()
        for schema, table, column in columns:
            rows = con.execute(f'SELECT "{column}" FROM "{schema}"."{table}" '  # noqa: S608 - catalogue names
                               f'WHERE "{column}" IS NOT NULL').fetchall()
            values += [(f"{schema}.{table}", column, r[0]) for r in rows]
    return values


def file_texts(folder: Path, skip: set[Path] = frozenset()) -> list[tuple[str, str]]:
    """(where, text) for every file under FOLDER (but SKIP): text files as text, gzip files
    unpacked, zip files (a WACZ) opened member by member, Parquet files value by value, WARC
    records header and payload, decoded as a browser would."""
    texts = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p not in skip):
        texts += _texts_of(str(path.relative_to(folder)), path.read_bytes())
    return texts


def _texts_of(where: str, data: bytes) -> list[tuple[str, str]]:
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return [item for name in bundle.namelist()
                    for item in _texts_of(f"{where}!{name}", bundle.read(name))]
    if data[:4] == b"PAR1":
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(data))
        return [(f"{where}:{name}", "\n".join(str(v) for v in table.column(name).to_pylist()))
                for name in table.column_names]
    found = []
    if data[:2] == b"\x1f\x8b":
        found += _warc_texts(where, data)
        data = gzip.decompress(data)
    return found + [(where, data.decode("utf-8", errors="replace"))]


def _warc_texts(where: str, data: bytes) -> list[tuple[str, str]]:
    from warcio.archiveiterator import ArchiveIterator

    texts = []
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data))):
            head = str(record.rec_headers) + str(record.http_headers or "")
            body = record.content_stream().read().decode("utf-8", errors="replace")
            texts.append((f"{where} record {number}", head + "\n" + body))
    except Exception:  # noqa: BLE001 - not a WARC: the raw bytes are scanned anyway
        return []
    return texts


__all__ = ["ADDRESS", "addresses_in", "decoded", "file_texts", "stored_values"]

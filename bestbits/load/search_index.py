"""Post-build step: the full-text index of statements and messages (tantivy, bestbits/search.py),
written beside the database and named by a hash of what it indexes.

The atomic rule of the build holds for the index too: it is written into a partial folder and
renamed to `<database>.search/<token>/` only when complete, and the database records the token
(`search_index`). A failed build leaves no half index (its partial folder is removed, or, if
the process was killed, by the next build); a complete index that no database names is removed
by the next successful build (`remove_unused`). A build whose indexed rows are the same as an
index already there (an incremental build that changed nothing searchable) reuses it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import tantivy

from bestbits import search
from bestbits.query import load_sql

# Rows read from DuckDB per Arrow batch while indexing.
BATCH_ROWS = 10_000
# The index writer's memory (tantivy's minimum is 15 MB per thread); one thread keeps the
# documents in the order given, so that two builds of the same rows write the same index.
WRITER_HEAP = 64_000_000



def _rows(con, kind: str) -> Iterator[dict]:
    reader = con.execute(load_sql(f"load/search_index_{kind}.sql")).to_arrow_reader(BATCH_ROWS)
    for batch in reader:
        yield from batch.to_pylist()


def _message_document(row: dict) -> tuple[tantivy.Document, bytes]:
    stored = search.stored_row({name: row[name] for name in search.MESSAGE_STORED})
    doc = tantivy.Document()
    doc.add_text("message_id", row["message_id"])
    doc.add_bytes("row", stored)
    doc.add_text("list", row["list"])
    if row["sent_at"] is not None:
        doc.add_integer("sent_at", search.epoch_seconds(row["sent_at"]))
    for forum in row["forums"]:
        doc.add_text("forum", forum)
    if row["year"] is not None:
        doc.add_integer("year", row["year"])
    doc.add_text("words", row["words"] or "")
    doc.add_text("plain", row["words"] or "")
    return doc, stored + b"\x1f" + json.dumps([row["forums"], row["year"]]).encode()


def _statement_document(row: dict) -> tuple[tantivy.Document, bytes]:
    doc = tantivy.Document()
    doc.add_text("statement_id", row["statement_id"])
    if row["forum"] is not None:
        doc.add_text("forum", row["forum"])
    if row["year"] is not None:
        doc.add_integer("year", row["year"])
    doc.add_text("words", row["words"] or "")
    doc.add_text("plain", row["words"] or "")
    return doc, json.dumps(row, ensure_ascii=False, sort_keys=True).encode()


DOCUMENTS = {"messages": _message_document, "statements": _statement_document}


def _digest():
    """The token's hash, seeded with what decides how rows become an index: the engine and its
    version, the index version, and the code of the fields and the analyzers."""
    digest = hashlib.sha256()
    digest.update(f"{search.ENGINE} {tantivy.__version__} {search.INDEX_VERSION}\n".encode())
    digest.update("\n".join(search.stopwords()).encode())
    for function in (search.schema, search._analyzers):
        digest.update(inspect.getsource(function).encode())
    return digest


def content_token(con) -> tuple[str, dict[str, int]]:
    """The token of the index the database's rows make, and the documents of each kind,
    without writing an index."""
    digest, counts = _digest(), {}
    for kind in search.KINDS:
        digest.update(f"\x1e{kind}\x1e".encode())
        counts[kind] = 0
        for row in _rows(con, kind):
            digest.update(DOCUMENTS[kind](row)[1] + b"\x1d")
            counts[kind] += 1
    return digest.hexdigest()[:32], counts


def _write(con, partial: Path) -> tuple[str, dict[str, int]]:
    """Write both kinds' indexes into PARTIAL; returns the token of what was written."""
    digest, counts = _digest(), {}
    for kind in search.KINDS:
        digest.update(f"\x1e{kind}\x1e".encode())
        folder = partial / kind
        folder.mkdir(parents=True)
        index = tantivy.Index(search.schema(kind), path=str(folder))
        search.register_analyzers(index)
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        counts[kind] = 0
        for row in _rows(con, kind):
            doc, content = DOCUMENTS[kind](row)
            writer.add_document(doc)
            digest.update(content + b"\x1d")
            counts[kind] += 1
        writer.commit()
        writer.wait_merging_threads()
    return digest.hexdigest()[:32], counts


def _complete(folder: Path, token: str) -> bool:
    try:
        return json.loads((folder / search.MARKER).read_text(encoding="utf-8"))["token"] == token
    except (OSError, ValueError, KeyError):
        return False


def _counts(con) -> dict[str, int]:
    return {kind: con.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]  # noqa: S608 - KINDS
            for kind in search.KINDS}


def _documents(folder: Path) -> dict[str, int] | None:
    try:
        return json.loads((folder / search.MARKER).read_text(encoding="utf-8"))["documents"]
    except (OSError, ValueError, KeyError):
        return None


def build_index(con, db: Path) -> tuple[str, dict[str, int]]:
    """The index of the rows of CON's database, complete in `<DB>.search/<token>/` (DB: the
    path the database will have). Returns the token and the documents of each kind."""
    root = search.index_root(db)
    root.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(root)
    # An index already there may be of the same rows (a rebuild that changed nothing
    # searchable): hashing the rows is cheaper than indexing them again, and it is only tried
    # when an index there holds as many documents of each kind.
    counts = _counts(con)
    if any(_documents(folder) == counts for folder in root.iterdir() if folder.is_dir()
           and _complete(folder, folder.name)):
        token, counts = content_token(con)
        if _complete(root / token, token):
            return token, counts
    partial = root / f".partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        token, counts = _write(con, partial)
        (partial / search.MARKER).write_text(json.dumps(
            {"token": token, "engine": search.ENGINE, "version": search.INDEX_VERSION,
             "documents": counts}, indent=1) + "\n", encoding="utf-8")
        final = root / token
        if _complete(final, token):  # made meanwhile from the same rows
            shutil.rmtree(partial)
        else:
            shutil.rmtree(final, ignore_errors=True)
            os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return token, counts


def _remove_stale_partials(root: Path) -> None:
    for stale in root.glob(".partial-*"):
        try:
            os.kill(int(stale.name.rsplit("-", 1)[1]), 0)  # still running: another build's
        except (ValueError, ProcessLookupError):
            shutil.rmtree(stale, ignore_errors=True)
        except PermissionError:
            pass


def remove_unused(db: Path, token: str | None) -> None:
    """After DB (whose index is TOKEN) took its place: remove the other indexes beside it,
    which no database names any more (partial folders of running builds stay)."""
    root = search.index_root(db)
    if not root.is_dir():
        return
    _remove_stale_partials(root)
    for folder in root.iterdir():
        if folder.is_dir() and not folder.name.startswith(".partial-") and folder.name != token:
            shutil.rmtree(folder, ignore_errors=True)
    if token is None and not any(root.iterdir()):
        root.rmdir()


def create_statement_search_index(load) -> None:
    """Index statements (titles, addressees, text, notes) and messages (subjects, own words),
    and record the index (`search_index`) and what search can do (`search_capabilities`)."""
    db = getattr(load, "db", None) or search.database_file(load.con)
    token, counts = build_index(load.con, db)
    load.con.execute("DELETE FROM search_index")
    load.con.execute("DELETE FROM search_capabilities")
    load.con.execute(
        "INSERT INTO search_index (token, engine, version, messages, statements) "
        "VALUES (?, ?, ?, ?, ?)",
        [token, search.ENGINE, search.INDEX_VERSION, counts["messages"], counts["statements"]])
    load.con.execute(
        "INSERT INTO search_capabilities (full_text_search, message_full_text_search) "
        "VALUES (?, ?)", [True, counts["messages"] > 0])

"""Issue 16's acceptance: a corpus with every written form of an address in every field is
collected, built, exported and published as a user would, and nothing the tool writes holds an
address, a local path, or what was left of one.

The corpus is SYNTHETIC (tests/fixtures/privacy/, see its README): list messages (bodies,
subjects, display names, HTML-only parts) in an mbox imported under a name that is an address;
a statement page (text, title, addressee, signatory cells) stored at addresses of pages that
hold addresses, with a redirect to a mailto: link and a header naming one; a WARC file named
after an address; curated notes (a copy of the curated record, $BESTBITS_REFERENCE_DIR). Every
local part starts with "qz", so the scan also looks for the local parts alone: a survivor in any
form.
The scan is independent of the gate (tests/support/privacy_scan.py).
"""

from __future__ import annotations

import csv
import re
import shutil
import unicodedata
from pathlib import Path

import duckdb
import pytest

from bestbits import config
from dashboards.edition.site import plotly_bundle
from scrapers.raw_store.warc_store import CaptureMeta, WarcStore
from support.cli import run_cli
from support.privacy_scan import addresses_in, file_texts, stored_values
from support.warc_fixtures import write_warc

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "privacy"
SITE_PAGES = Path(__file__).resolve().parent / "fixtures" / "site_pages"
ARCHIVE = "https://web.archive.org/web/"
# The local parts of the corpus's addresses (and of its file names): found anywhere, in any
# case, they are what is left of an address. (Not "qz" alone: base32 digests hold it by chance.)
LOCAL_PARTS = re.compile(r"qz(?:body|name|subj|html|mailto|sig|site|cell|title|addressee|url|"
                         r"file|warc|note|hdr|loc|from|msgid)", re.IGNORECASE)


def _captures(data: Path) -> None:
    """Synthetic captures whose addresses, bodies and headers hold addresses, stored as the
    site collector stores them."""
    pages = [
        ("https://bestbits.net/open-letter-qzurl1@example.org/", "20160302000000", 200,
         {"Content-Type": "text/html; charset=utf-8",
          "Link": "<mailto:qzhdr@example.org>; rel=author"},
         (FIXTURES / "statement_addresses.html").read_bytes()),
        ("https://bestbits.net/?s=qzurl2@example.org", "20160303000000", 200,
         {"Content-Type": "text/html"}, (SITE_PAGES / "home.html").read_bytes()),
        ("https://bestbits.net/author/qzurl3%40example.org/", "20160304000000", 200,
         {"Content-Type": "text/html"}, (SITE_PAGES / "listing.html").read_bytes()),
        ("https://bestbits.net/contact-qzurl5@example.org", "20160305000000", 302,
         {"Location": "mailto:qzloc@example.org"}, b""),
    ]
    with WarcStore(data) as store:
        for url, timestamp, status, headers, body in pages:
            meta = CaptureMeta(url=url, timestamp=timestamp, status=str(status),
                               mime="text/html", digest=None, archive=ARCHIVE)
            store.store(meta, headers, body, http_status=status)


def _reference_with_notes(folder: Path) -> Path:
    """A copy of the curated record whose notes hold addresses."""
    reference = folder / "reference"
    shutil.copytree(config.REFERENCE_DIR, reference)
    for name in ("events.csv", "statements.csv"):
        path = reference / name
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        notes = rows[0].index("notes")
        rows[1][notes] += f" Synthetic note: ask qznote1 at example dot org or qznote2@{name}.org."
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return reference


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy-corpus")
    data, db = root / "data", root / "corpus.duckdb"
    env = {"BESTBITS_SALT": "synthetic-privacy-salt",
           "BESTBITS_REFERENCE_DIR": str(_reference_with_notes(root))}
    named_after_an_address = root / "imports" / "qzfile.owner@example.org.mbox"
    named_after_an_address.parent.mkdir()
    shutil.copyfile(FIXTURES / "forms.mbox", named_after_an_address)
    warc = write_warc(root / "imports" / "qzwarc@example.org.warc.gz", [
        ("https://bestbits.net/contact/?email=qzurl4%40example.org", "20160306000000", 200,
         {"Content-Type": "text/html; charset=utf-8"},
         b"<html><body><p>Write to qzwarcbody@example.org.</p></body></html>")])
    _captures(data)
    results = {
        "mbox": run_cli("collect", "mbox", str(named_after_an_address), "--list", "bestbits",
                        "--data-dir", str(data), env=env),
        "warc": run_cli("collect", "warc", "--no-progress", str(warc), "--data-dir", str(data),
                        env=env),
        "build": run_cli("build", "--data-dir", str(data), "--db", str(db), env=env),
    }
    for name, fmt, detail in (("export", "csv", ()), ("export-full", "csv", ("--full-detail",)),
                              ("export-parquet", "parquet", ())):
        results[name] = run_cli("export", "--db", str(db), "--out", str(root / name),
                                "--format", fmt, *detail, env=env)
    results["publish"] = run_cli("publish", "--db", str(db), "--out", str(root / "edition"),
                                 "--data-dir", str(data), env=env)
    for name, result in results.items():
        assert result.returncode == 0, f"{name}: {result.stdout}\n{result.stderr}"
    return {"root": root, "db": db, "results": results}


def _problems(where: str, text: str, root: Path) -> list[str]:
    found = [f"{where}: {hit!r}" for hit in addresses_in(text)]
    left = LOCAL_PARTS.search(unicodedata.normalize("NFKC", text))
    if left:
        found.append(f"{where}: what is left of an address: "
                     f"{text[max(0, left.start() - 30):left.end() + 30]!r}")
    for path in (str(root), str(config.REPO_ROOT), "file:/"):
        if path in text:
            found.append(f"{where}: a local path {path!r}")
    return found


def test_the_collectors_and_the_build_ran_and_read_the_corpus(corpus):
    with duckdb.connect(str(corpus["db"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM messages WHERE method = 'parsed'").fetchone()[0] == 7
        assert con.execute("SELECT count(*) FROM statements WHERE method = 'parsed'").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM captures").fetchone()[0] == 5
        notes = con.execute("SELECT stage, note, items FROM ingest_notes").fetchall()
    # The gate took the addresses on the way in: the sweep after the build found none.
    assert not [n for n in notes if n[0] == "privacy sweep"], notes
    assert "privacy sweep: no text column held an address after the build" in \
        corpus["results"]["build"].stdout
    # Signatory cells that held an address were counted (one was nothing but an address).
    assert [(stage, items) for stage, note, items in notes if "signatory cells" in note] == [
        ("site", 6)]


def test_no_column_of_any_table_holds_an_address(corpus):
    problems = [problem for table, column, value in stored_values(corpus["db"])
                for problem in _problems(f"{table}.{column}", value, corpus["root"])]
    assert problems == []


@pytest.mark.parametrize("folder", ["export", "export-full", "export-parquet", "edition"])
def test_no_file_written_holds_an_address(corpus, folder):
    texts = file_texts(corpus["root"] / folder, skip=_vendored(corpus["root"] / folder))
    assert texts
    problems = [problem for where, text in texts
                for problem in _problems(where, text, corpus["root"])]
    assert problems == []


def _vendored(folder: Path) -> set[Path]:
    """The edition's copy of plotly.js, byte for byte the library the package ships: code, not
    data (its minified source holds the string 'mailto:')."""
    libraries = {plotly_bundle().read_bytes(), plotly_bundle({"sankey"}).read_bytes()}
    return {path for path in folder.glob("assets/plotly*.js") if path.read_bytes() in libraries}


def test_the_editions_captures_are_redacted_copies_that_still_replay(corpus):
    texts = dict(file_texts(corpus["root"] / "edition"))
    warc_records = {where: text for where, text in texts.items()
                    if "captures.wacz!archive/" in where and " record " in where}
    assert any("Synthetic open letter" in text and "[address]" in text
               for text in warc_records.values())
    assert any("address-removed" in text and "WARC-Target-URI" in text
               for text in warc_records.values())


def test_the_command_output_names_no_address(corpus):
    for name, result in corpus["results"].items():
        text = result.stdout + result.stderr
        assert addresses_in(text) == [] and not LOCAL_PARTS.search(text), name


def test_ordinary_prose_with_at_and_dot_stays(corpus):
    with duckdb.connect(str(corpus["db"]), read_only=True) as con:
        body = con.execute("SELECT text FROM messages WHERE method = 'parsed' "
                           "AND subject LIKE '%Notes from%' "
                           "AND subject NOT LIKE 'Re:%'").fetchone()[0]
        statement = con.execute("SELECT text FROM statements WHERE method = 'parsed'"
                                ).fetchone()[0]
    for text in (body, statement):
        assert "we met at the hotel" in text.lower()
        assert "dot matrix printer" in text
        assert "lists.example.org/info" in text

"""An edition is ready to deposit: its .zenodo.json and CITATION.cff say the same things (they are
written from one description, bestbits/edition_metadata.py), and its ro-crate-metadata.json is an
RO-Crate 1.2 that roc-validator accepts at the required level, naming only files the edition
holds and no address of a person.

The editions are test_publish.py's: the embedded curated record, published by the command a user
runs, and one with the SYNTHETIC site captures (so that captures.wacz is there to be named).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests
import yaml
from test_publish import ADDRESS, edition, edition_with_captures  # noqa: F401 - fixtures

from bestbits.edition_crate import METADATA_FILE, data_package_files
from bestbits.edition_metadata import ZENODO_REQUIRED
from bestbits.links import parse_memento
from bestbits.output_folders import MARKER as OUTPUT_MARKER
from bestbits.output_folders import OutputRefused
from bestbits.publish import publish

RO_CRATE_CONTEXT = "https://w3id.org/ro/crate/1.2/context"
# The relations the legacy deposit metadata offers for a related identifier (those used here
# among them); Zenodo mints the DOI, so none is written.
ZENODO_RELATIONS = {"isDerivedFrom", "references", "isSupplementTo", "isPartOf", "cites"}


def deposit_files(folder: Path) -> tuple[dict, dict, dict]:
    citation = yaml.safe_load((folder / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((folder / ".zenodo.json").read_text(encoding="utf-8"))
    crate = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    return citation, zenodo, crate


def entities(crate: dict) -> dict[str, dict]:
    return {entity["@id"]: entity for entity in crate["@graph"]}


def types(entity: dict) -> set[str]:
    value = entity["@type"]
    return {value} if isinstance(value, str) else set(value)


# --- .zenodo.json and CITATION.cff ----------------------------------------------------------

def test_zenodo_json_agrees_with_the_citation(edition):  # noqa: F811 - a fixture
    out, _ = edition
    citation, zenodo, _crate = deposit_files(out)
    identifier = json.loads((out / "edition.json").read_text())["edition"]
    assert zenodo["title"] == citation["title"] and identifier in zenodo["title"]
    assert zenodo["version"] == citation["version"] == identifier
    assert zenodo["publication_date"] == citation["date-released"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in citation["authors"]]
    assert zenodo["keywords"] == citation["keywords"]
    assert citation["abstract"].startswith(zenodo["description"])
    # The licence: CFF takes SPDX identifiers only, and the edition's terms have none, so both
    # carry the same terms in words and CFF claims no identifier of its own.
    assert zenodo["license"] == "other-at" and "license" not in citation
    assert zenodo["notes"].startswith("Licence: Other (Attribution).")
    assert zenodo["notes"] in citation["abstract"]
    package = json.loads((out / "data" / "datapackage.json").read_text())
    assert package["licenses"][0]["title"] in zenodo["notes"]  # the data package's own note


def test_zenodo_json_holds_what_a_deposit_requires_and_names_no_doi(edition, built_db):  # noqa: F811
    out, _ = edition
    _citation, zenodo, _crate = deposit_files(out)
    for field in ZENODO_REQUIRED:
        assert zenodo.get(field), field
    assert zenodo["upload_type"] == "dataset" and zenodo["access_right"] == "open"
    assert all(set(c) == {"name"} and c["name"].strip() for c in zenodo["creators"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", zenodo["publication_date"])
    assert "doi" not in zenodo and "10.5281" not in json.dumps(zenodo)
    related = zenodo["related_identifiers"]
    assert all(set(r) == {"identifier", "relation"} for r in related)
    assert {r["relation"] for r in related} <= ZENODO_RELATIONS
    derived = [r["identifier"] for r in related if r["relation"] == "isDerivedFrom"]
    referenced = [r["identifier"] for r in related if r["relation"] == "references"]
    # Each source archive: its own address, and the web archive's copy of it the record links.
    assert "https://bestbits.net/" in referenced
    assert "https://lists.igcaucus.org/pipermail/bestbits/" in referenced
    originals = {parse_memento(address).original for address in derived}
    assert originals == set(referenced)
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as con:
        archives = {row[0] for row in con.execute("SELECT url FROM archives").fetchall()}
    assert set(referenced) == archives


# --- ro-crate-metadata.json -----------------------------------------------------------------

class LocalContexts:
    """What roc-validator asks the web for, served from files a package ships; anything else is
    refused, so the validation runs offline and says so when it cannot.

    The RO-Crate 1.2 context is served from the `rocrate` library's copy of the RO-Crate JSON-LD
    context (1.3, which keeps every 1.2 term: the crate uses schema.org terms only)."""

    cache = None

    def __init__(self):
        import rocrate

        self.documents = {RO_CRATE_CONTEXT: (Path(rocrate.__file__).parent / "data"
                                             / "ro-crate.jsonld").read_bytes()}
        self.asked: list[str] = []

    def get(self, url, **_kwargs):
        self.asked.append(url)
        document = self.documents.get(url.split("#")[0])
        if document is None:
            raise AssertionError(f"roc-validator asked the network for {url}")
        response = requests.Response()
        response.status_code, response.url, response._content = 200, url, document
        response.headers["Content-Type"] = "application/ld+json"
        return response

    head = get


def validate_crate(folder: Path, cache: Path) -> list[str]:
    """The issues roc-validator finds in FOLDER's crate at the ro-crate-1.2 required level."""
    services = pytest.importorskip("rocrate_validator.services", reason="roc-validator is in the "
                                   "test extra: pip install -e '.[test]'")
    from rocrate_validator.models import Severity
    from rocrate_validator.utils.http import HttpRequester

    settings = services.ValidationSettings(
        rocrate_uri=str(folder), profile_identifier="ro-crate-1.2",
        requirement_severity=Severity.REQUIRED, offline=True, cache_path=str(cache))
    requester = HttpRequester()  # the validator's one HTTP client, set up by the settings above
    saved, requester.session = requester.session, LocalContexts()
    try:
        result = services.validate(settings)
    finally:
        requester.session = saved
    return [f"{issue.severity.name}: {issue.message}" for issue in result.get_issues()]


def test_the_crate_passes_roc_validator_at_the_ro_crate_1_2_required_level(edition, tmp_path):  # noqa: F811
    out, _ = edition
    assert validate_crate(out, tmp_path / "http-cache") == []


def test_roc_validator_finds_a_crate_that_breaks_a_requirement(edition, tmp_path):  # noqa: F811
    # The validation above has teeth: the same crate less its software's version fails.
    out, _ = edition
    crate = json.loads((out / METADATA_FILE).read_text())
    broken = tmp_path / "broken"
    broken.mkdir()
    for entity in crate["@graph"]:
        if "SoftwareApplication" in types(entity):
            del entity["version"]
    (broken / METADATA_FILE).write_text(json.dumps(crate))
    for entity in crate["@graph"]:
        if "File" in types(entity):
            (broken / entity["@id"]).parent.mkdir(parents=True, exist_ok=True)
            (broken / entity["@id"]).write_bytes((out / entity["@id"]).read_bytes())
    issues = validate_crate(broken, tmp_path / "http-cache")
    assert any("version" in issue for issue in issues), issues


def test_the_crate_describes_the_edition_and_names_only_files_it_holds(edition):  # noqa: F811
    out, _ = edition
    citation, zenodo, crate = deposit_files(out)
    graph = entities(crate)
    root = graph["./"]
    assert root["name"] == citation["title"] and root["description"] == zenodo["description"]
    assert root["datePublished"] == citation["date-released"]
    licence = graph[root["license"]["@id"]]
    assert licence["name"] == "Other (Attribution)" and licence["description"] in zenodo["notes"]
    files = [i for i, entity in graph.items() if "File" in types(entity)]
    for name in files:
        assert (out / name).is_file(), name
    parts = {part["@id"] for part in root["hasPart"]}
    assert set(files) == parts
    tables = data_package_files(out / "data" / "datapackage.json")
    assert {p for p in tables if p.endswith(".csv")} == {
        f"data/{p.name}" for p in (out / "data").glob("*.csv")}
    expected = {"index.html", "events.html", "data/datapackage.json", "CITATION.cff",
                ".zenodo.json", "README.md", "edition.json", *tables}
    assert expected <= parts, expected - parts
    assert root["mainEntity"] == {"@id": "index.html"}
    # The software that wrote it, by the action that did.
    action = next(e for e in graph.values() if "CreateAction" in types(e))
    software = graph[action["instrument"]["@id"]]
    assert action["result"] == {"@id": "./"}
    assert software["name"] == "bestbits-archive" and software["version"]
    # The archives the record was drawn from, as .zenodo.json names them.
    based_on = {ref["@id"] for ref in root["isBasedOn"]}
    assert based_on == {r["identifier"] for r in zenodo["related_identifiers"]
                        if r["relation"] == "isDerivedFrom"}


def test_the_crate_names_the_captures_wacz_when_the_edition_has_one(edition_with_captures,  # noqa: F811
                                                                    tmp_path):
    out, _db = edition_with_captures
    graph = entities(json.loads((out / METADATA_FILE).read_text()))
    assert graph["captures.wacz"]["encodingFormat"] == [
        "application/zip", {"@id": "https://www.nationalarchives.gov.uk/PRONOM/fmt/1840"}]
    assert (out / "captures.wacz").is_file()
    assert validate_crate(out, tmp_path / "http-cache") == []


def test_the_edition_without_captures_names_no_wacz(edition):  # noqa: F811
    out, _ = edition
    assert not (out / "captures.wacz").exists()
    assert "captures.wacz" not in entities(json.loads((out / METADATA_FILE).read_text()))


def test_no_address_of_a_person_in_the_deposit_files(edition, edition_with_captures):  # noqa: F811
    for out in (edition[0], edition_with_captures[0]):
        for name in (".zenodo.json", METADATA_FILE, "CITATION.cff"):
            text = (out / name).read_text(encoding="utf-8")
            assert not ADDRESS.findall(text), (name, ADDRESS.findall(text)[:3])
            assert " at example" not in text  # nor as "name at domain"


# --- publishing again -----------------------------------------------------------------------

def test_republishing_rewrites_the_deposit_files_under_publishs_folder_rules(
        built_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # one day for both editions
    out = tmp_path / "site"
    publish(built_db, out, tmp_path)
    first = {name: (out / name).read_bytes() for name in (".zenodo.json", METADATA_FILE)}
    recorded = json.loads((out / OUTPUT_MARKER).read_text())["files"]
    assert {".zenodo.json", METADATA_FILE, "CITATION.cff"} <= set(recorded)
    publish(built_db, out, tmp_path)  # over the edition publish wrote: replaced
    assert {name: (out / name).read_bytes() for name in first} == first  # same tables, same day
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # A deposit file someone edited makes the folder theirs: publish leaves it as it is.
    (out / ".zenodo.json").write_text('{"title": "my own"}\n')
    with pytest.raises(OutputRefused):
        publish(built_db, out, tmp_path)
    assert (out / ".zenodo.json").read_text() == '{"title": "my own"}\n'


# --- one description, every format --------------------------------------------------------------

def test_a_licence_chosen_later_reaches_the_citation_and_the_deposit_alike():
    # SYNTHETIC: a licence with an SPDX identifier (none is chosen for the record today).
    from dataclasses import replace

    from bestbits.edition_metadata import (
        EDITION_LICENCE,
        citation_cff,
        edition_metadata,
        zenodo_json,
    )

    meta = replace(edition_metadata("2026-01-02-0123456789ab", "2026-01-02", "0" * 64, "9.9",
                                    ()),
                   licence=replace(EDITION_LICENCE, title="Creative Commons Attribution 4.0",
                                   zenodo_id="cc-by-4.0", spdx="CC-BY-4.0"))
    citation = yaml.safe_load(citation_cff(meta))
    zenodo = zenodo_json(meta)
    assert citation["license"] == "CC-BY-4.0" and zenodo["license"] == "cc-by-4.0"
    assert citation["version"] == zenodo["version"] == "2026-01-02-0123456789ab"
    assert zenodo["related_identifiers"] == []  # no source archive given, none invented


def test_the_edition_readme_names_the_deposit_files(edition):  # noqa: F811
    out, _ = edition
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "`.zenodo.json`" in readme and "`ro-crate-metadata.json`" in readme

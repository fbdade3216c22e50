"""`bestbits publish`: a static, citable edition of the database, written by the command a user runs.

The editions are published from the embedded curated record, from a copy of it with hostile
archived text, and from a data folder holding the SYNTHETIC site captures of tests/fixtures/
(tests/support/site_pages.py), so that captures.wacz and the captures named by parsed rows are
checked too.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
import yaml

from bestbits.export import BUILD_WORKING_TABLES, NETWORK_STEMS, PER_PERSON_TABLES
from bestbits.links import parse_memento
from bestbits.load.build import build
from bestbits.output_folders import MARKER as OUTPUT_MARKER
from bestbits.publish import publish
from dashboards.edition.site import figure_json
from support.cli import run_cli
from support.site_pages import store_captures

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


@pytest.fixture(scope="module")
def edition(built_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "site"
    result = run_cli("publish", "--db", str(built_db), "--out", str(out),
                     "--data-dir", str(built_db.parent))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


def ids(db, table: str, column: str) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute(f"SELECT {column} FROM {table}").fetchall()}  # noqa: S608 - test constants


def test_every_event_and_statement_has_its_own_page(edition, built_db):
    out, _ = edition
    for page in ("index.html", "events.html", "statements.html", "participation.html",
                 "sources.html"):
        assert (out / page).is_file(), page
    assert {p.stem for p in (out / "events").glob("*.html")} == ids(built_db, "events", "event_id")
    assert {p.stem for p in (out / "statements").glob("*.html")} == ids(
        built_db, "statements", "statement_id")


def test_every_page_shows_the_edition_identifier_and_how_to_cite_it(edition):
    out, printed = edition
    marker = json.loads((out / "edition.json").read_text())
    identifier = marker["edition"]
    assert identifier in printed
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[0-9a-f]{12}", identifier)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert identifier in text, page
        assert "How to cite this page" in text, page
    package = json.loads((out / "data" / "datapackage.json").read_text())
    assert package["edition"]["identifier"] == identifier
    citation = yaml.safe_load((out / "CITATION.cff").read_text())
    assert citation["version"] == identifier and citation["cff-version"] == "1.2.0"
    assert identifier in (out / "README.md").read_text()


def test_the_edition_needs_nothing_from_outside_its_folder(edition):
    out, _ = edition
    assert (out / "assets" / "plotly.min.js").stat().st_size > 100_000
    loads = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']([^"']+)""")
    for page in out.rglob("*.html"):
        for target in loads.findall(page.read_text(encoding="utf-8")):
            assert "://" not in target and not target.startswith("//"), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)


class _Links(HTMLParser):
    """Every <a> of a page: its attributes and its text."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append({**dict(attrs), "text": ""})
            self.inside = True

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "a"

    def handle_data(self, data):
        if self.inside:
            self.links[-1]["text"] += data


def outside_links(folder: Path) -> dict[Path, list[dict]]:
    """The links of every page of an edition that leave the edition (absolute addresses)."""
    found = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        found[page] = [a for a in parser.links if "://" in (a.get("href") or "")
                       or (a.get("href") or "").startswith("//")]
    return found


def dated_archive_address(href: str) -> bool:
    memento = parse_memento(href)
    return memento is not None and len(memento.timestamp) >= 4


def test_every_outside_link_opens_an_archived_version_with_its_date(edition):
    out, _ = edition
    pages = outside_links(out)
    total = sum(len(links) for links in pages.values())
    assert total >= 400  # every row of every table, and every page's sources
    for page, links in pages.items():
        for a in links:
            href = a["href"]
            robust = bool(a.get("data-versionurl") and a.get("data-versiondate"))
            assert dated_archive_address(href) or robust, (page.name, href)
            # Where the Robust Links attributes are given, they describe what is clicked.
            if robust:
                assert a["data-versionurl"] == href and dated_archive_address(href), href
                assert a["data-originalurl"] and a["data-originalurl"] in href
            assert a["text"].strip() != "archived source", (page.name, href)
    # A curated row is linked to the archive's copy nearest its own date, and says so.
    page = (out / "events" / "bb2013-bali.html").read_text(encoding="utf-8")
    assert "Agenda" in page and ">nearest archived copy</a>" in page
    assert 'data-versiondate="2013-10-' in page
    # The one curated row whose source is a memento is linked to that memento, with its day.
    overview = [a for a in pages[out / "index.html"]]
    assert all(a.get("data-versiondate") for a in overview)


def test_a_parsed_row_links_the_exact_capture_and_its_copy_in_the_wacz(edition_with_captures):
    out, db = edition_with_captures
    with duckdb.connect(str(db), read_only=True) as con:
        item_type, item_id, replay_url, timestamp = con.execute(
            "SELECT item_type, item_id, replay_url, timestamp FROM item_captures "
            "WHERE preferred AND item_id LIKE 'site-%' ORDER BY item_id LIMIT 1").fetchone()
    links = outside_links(out)[out / f"{item_type}s" / f"{item_id}.html"]
    exact = [a for a in links if a["href"] == replay_url]
    day = f"{timestamp[:4]}-{timestamp[4:6]}-{timestamp[6:8]}"
    assert exact and all(a["data-versiondate"] == day for a in exact)
    assert any(a["text"] == f"archived copy, {day}" for a in exact)
    text = (out / f"{item_type}s" / f"{item_id}.html").read_text(encoding="utf-8")
    assert 'href="../captures.wacz"' in text
    for page, found in outside_links(out).items():
        for a in found:
            assert dated_archive_address(a["href"]) or (
                a.get("data-versionurl") and a.get("data-versiondate")), (page.name, a["href"])


def test_the_data_package_holds_every_table_twice_and_passes_frictionless(edition, built_db):
    frictionless = pytest.importorskip("frictionless", reason="frictionless is in the test extra")
    out, _ = edition
    with duckdb.connect(str(built_db), read_only=True) as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE'").fetchall()} - set(BUILD_WORKING_TABLES) - set(PER_PERSON_TABLES)
    data = out / "data"
    # ...and beside them the networks' node and edge lists (tests/test_networks.py)
    network_lists = {f"{stem}_{part}" for stem in NETWORK_STEMS for part in ("nodes", "edges")}
    assert {p.stem for p in data.glob("*.csv")} == tables | network_lists
    assert {p.stem for p in data.glob("*.parquet")} == tables | network_lists
    report = frictionless.validate(str(data / "datapackage.json"))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, errors[:5] + [e.message for e in report.errors][:5]


def test_no_address_reaches_the_edition(edition):
    out, _ = edition
    for path in out.rglob("*"):
        if path.suffix in (".html", ".csv", ".json", ".md", ".cff"):
            found = ADDRESS.findall(path.read_text(encoding="utf-8"))
            assert not found, (path, found[:3])


def test_no_count_of_one_is_said_in_the_plural(edition):
    # The co-signatory hovers said "1 statements shared" 992 times before bestbits/wording.py.
    out, _ = edition
    one_plural = re.compile(r"\b1 (rows|statements|signatories|replies|captures|months|threads)\b")
    found = {path.name: one_plural.findall(path.read_text(encoding="utf-8"))
             for path in out.rglob("*.html")}
    assert not {name: said for name, said in found.items() if said}


def test_a_folder_that_is_not_an_edition_is_left_untouched(built_db, tmp_path):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("keep me")
    result = run_cli("publish", "--db", str(built_db), "--out", str(precious))
    assert result.returncode == 2
    assert "not an edition" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in precious.iterdir()] == ["chapter1.tex"]


def test_a_missing_database_says_how_to_build_it(tmp_path):
    result = run_cli("publish", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "e"))
    assert result.returncode == 2 and "bestbits build" in result.stderr
    assert not (tmp_path / "e").exists()


def test_publishing_again_replaces_the_previous_edition(built_db, tmp_path):
    out = tmp_path / "site"
    first = publish(built_db, out, tmp_path)
    # A page an older edition had and this one has not: written, and recorded, by publish.
    (out / "events" / "stale.html").write_text("from an older edition")
    marker = json.loads((out / OUTPUT_MARKER).read_text())
    marker["files"]["events/stale.html"] = hashlib.sha256(b"from an older edition").hexdigest()
    (out / OUTPUT_MARKER).write_text(json.dumps(marker))
    second = publish(built_db, out, tmp_path)
    assert not (out / "events" / "stale.html").exists()
    assert first.content_hash == second.content_hash  # same tables, same hash
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_hostile_archived_text_is_sanitised_or_escaped(built_db, tmp_path):
    db = tmp_path / "hostile.duckdb"
    shutil.copyfile(built_db, db)
    with duckdb.connect(str(db)) as con:
        statement_id = con.execute("SELECT min(statement_id) FROM statements").fetchone()[0]
        con.execute("UPDATE statements SET text_html = ?, title = ? WHERE statement_id = ?",
                    ["<p onclick='steal()'>We ask</p><script>alert(1)</script>"
                     "<a href='javascript:alert(2)'>x</a><img src='https://tracker.example/p.gif'>",
                     "Title </script><script>alert(3)</script>", statement_id])
    out = tmp_path / "site"
    publish(db, out, tmp_path)
    page = (out / "statements" / f"{statement_id}.html").read_text(encoding="utf-8")
    assert "<p>We ask</p>" in page
    for hostile in ("onclick", "alert(1)", "javascript:", "tracker.example", "<script>alert(3)"):
        assert hostile not in page, hostile
    assert "&lt;/script&gt;&lt;script&gt;alert(3)" in page
    listing = (out / "statements.html").read_text(encoding="utf-8")
    assert "<script>alert(3)" not in listing


def test_figure_json_accepts_a_figure_or_a_dict_and_cannot_end_its_script_element():
    import plotly.graph_objects as go

    figure = go.Figure(go.Bar(x=["</script><b>"], y=[1]))
    as_figure, as_dict = figure_json(figure), figure_json(figure.to_dict())
    assert json.loads(as_figure)["data"][0]["x"] == ["</script><b>"]
    assert json.loads(as_dict)["data"][0]["x"] == ["</script><b>"]
    assert "</script>" not in as_figure and "<" not in as_dict


@pytest.fixture(scope="module")
def edition_with_captures(tmp_path_factory):
    """The embedded record plus the SYNTHETIC site captures, as the collector stores them."""
    folder = tmp_path_factory.mktemp("captured")
    data = folder / "data"
    store_captures(data)
    db = folder / "bestbits.duckdb"
    build(data, db, progress=lambda _m: None)
    out = folder / "site"
    publish(db, out, data)
    return out, db


def test_captures_travel_with_the_edition_as_a_wacz(edition_with_captures):
    out, _db = edition_with_captures
    wacz = out / "captures.wacz"
    assert wacz.is_file()
    with zipfile.ZipFile(wacz) as archive:
        names = archive.namelist()
        assert "datapackage.json" in names
        assert any(n.startswith("archive/") and n.endswith(".warc.gz") for n in names)
        assert any(n.startswith("indexes/") for n in names)
        pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").splitlines()]
    # ReplayWeb.page lists the captures behind the parsed rows, by what they hold.
    assert any(p.get("title", "").startswith("event ") for p in pages[1:])
    assert any(p.get("title", "").startswith("statement ") for p in pages[1:])
    assert "captures.wacz" in (out / "README.md").read_text()


def test_each_parsed_row_names_its_capture(edition_with_captures):
    out, db = edition_with_captures
    with duckdb.connect(str(db), read_only=True) as con:
        parsed = con.execute(
            "SELECT i.item_type, i.item_id, i.url, i.timestamp FROM item_captures i "
            "WHERE i.preferred").fetchall()
    assert parsed, "the fixture captures give parsed rows"
    for item_type, item_id, url, timestamp in parsed:
        page = out / f"{item_type}s" / f"{item_id}.html"
        text = page.read_text(encoding="utf-8")
        assert url.replace("&", "&amp;") in text and timestamp in text, page
        assert "captures.wacz" in text


def test_a_publish_that_fails_keeps_the_previous_edition(built_db, tmp_path, monkeypatch):
    out = tmp_path / "site"
    publish(built_db, out, tmp_path)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("bestbits.publish._write_text", broken)
    with pytest.raises(RuntimeError):
        publish(built_db, out, tmp_path)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []



def test_with_collected_messages_participation_draws_its_charts_and_names_no_address(
        tmp_path_factory):
    from support.list_fixture_db import build_list_fixture_db

    folder = tmp_path_factory.mktemp("list-edition")
    db = build_list_fixture_db(folder)
    out = folder / "site"
    publish(db, out, folder / "data")
    page = (out / "participation.html").read_text(encoding="utf-8")
    titles = re.findall(r'<div class="chart" [^>]*data-title="([^"]*)"', page)
    assert titles == ["Messages and distinct posters per month",
                      "Posters per year; newcomers and retention by yearly cohort",
                      "Organisations (sender domains), top 4 by messages",
                      "Forum mentions per month",
                      "List activity around each event (window before and after)",
                      "Themes over time (messages per month; keyword rules)"]
    assert "Sample only" not in page
    # Per-person tables are the live face's only, as the export leaves them out.
    assert "People with at least N messages" not in page and "Who answers whom" not in page
    for path in out.rglob("*"):
        if path.suffix in (".html", ".csv", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not ADDRESS.search(text), path
            assert "at example" not in text, path  # nor as "name at domain"


def test_the_smaller_bundle_is_used_only_when_it_draws_every_chart_and_matches_plotly():
    import plotly

    from dashboards.edition.site import BASIC_BUNDLE, bundle_version, plotly_bundle

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    chosen = plotly_bundle({"bar", "scatter"})
    assert bundle_version(chosen) == bundle_version(full)  # never another plotly.js version
    if bundle_version(BASIC_BUNDLE) == bundle_version(full):
        assert chosen.stat().st_size < full.stat().st_size / 2
    assert plotly_bundle({"bar", "heatmap"}) == full  # basic draws no heatmap

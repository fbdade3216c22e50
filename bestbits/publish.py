"""Write a static, citable edition of the database: pages, charts, the data package, the captures.

The edition needs no kernel and no server code: plain HTML pages (Jinja2, autoescaped), Plotly
charts drawn from JSON embedded in each page by the plotly.js copied into the folder, tables
sorted and filtered in the browser, every table as CSV and Parquet with a datapackage.json, and,
when the site was collected, its captures as one WACZ file. Nothing in a page asks for anything
outside the folder, so it opens from any static host or from `python -m http.server`.

Every chart comes from the figure functions of dashboards/ (one definition serves the live app
and the edition); every number comes from a named query in queries/.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from bestbits import __version__, config, edition_search, links
from bestbits.edition_captures import CapturesError, write_captures_wacz
from bestbits.export import export
from bestbits.output_folders import OutputFolder

TEMPLATES_DIR = Path(__file__).resolve().parent / "publish_templates"
MARKER = "edition.json"  # the edition's own record (which folder is ours: bestbits/output_folders.py)
TITLE = "The archived record of the Best Bits network (2012–2019)"
EVENT_COLUMNS = ["start", "title", "forum", "kind", "city", "country", "source_url", "method"]
STATEMENT_COLUMNS = ["date", "title", "forum", "addressee", "signatory_count", "link_to_best_bits",
                     "source_url", "method"]
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class PublishError(Exception):
    """The edition cannot be written as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Edition:
    folder: Path
    identifier: str      # build date + content hash of the tables: cite this
    built: str           # the build date (UTC), YYYY-MM-DD
    content_hash: str    # sha256 over the exported tables (see README.md in the edition)
    pages: tuple[str, ...]
    captures_wacz: bool


# --- small pure helpers ----------------------------------------------------------------------

def figure_json(figure) -> str:
    """A plotly Figure or a figure dict as JSON that is safe inside a <script> element."""
    if not isinstance(figure, dict):
        figure = figure.to_plotly_json()
    text = pio.to_json(figure, validate=False)
    # "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" can end
    # the element early, whatever an archived title holds.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_id(value: object) -> str | None:
    """An event or statement id usable as a file name (ids are curated; anything else is skipped)."""
    return value if isinstance(value, str) and _SAFE_ID.match(value) else None


def content_hash(files: Iterable[Path]) -> str:
    """sha256 over "name sha256(file)" lines of the given files, sorted by name: anyone can
    recompute it from the edition's data/ folder (README.md says how)."""
    lines = []
    for path in sorted(files, key=lambda p: p.name):
        lines.append(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


build_date = config.build_date  # today (UTC), or $SOURCE_DATE_EPOCH for a reproducible edition


# The partial bundle the dashboards' Voila template serves (its static/README.md says where it
# comes from): the same plotly.js version as the plotly package's, a quarter of the size, so the
# first chart comes several times sooner. It draws these trace types only; any other means the
# full bundle.
BASIC_BUNDLE = (config.DASHBOARDS_DIR / "jupyter" / "voila" / "templates" / "bestbits" / "static"
                / "plotly-basic-4.1.1.min.js")
BASIC_TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
_BUNDLE_VERSION = re.compile(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)")


def bundle_version(path: Path) -> str | None:
    """The plotly.js version a bundle's header comment names."""
    with path.open(encoding="utf-8") as handle:
        match = _BUNDLE_VERSION.search(handle.read(400))
    return match.group(1) if match else None


def plotly_bundle(trace_types: Iterable[str] = ()) -> Path:
    """plotly.js for the pages: the basic partial bundle when it draws every trace type used and
    is the plotly package's version of plotly.js; else the full bundle the plotly package ships."""
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not set(trace_types) <= BASIC_TRACE_TYPES:
        return full
    if BASIC_BUNDLE.is_file() and bundle_version(BASIC_BUNDLE) == bundle_version(full):
        return BASIC_BUNDLE
    return full


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict]:
    """Rows as plain dicts: missing values None, dates as text."""
    frame = frame[[c for c in (columns or list(frame.columns)) if c in frame.columns]]
    return json.loads(frame.to_json(orient="records", date_format="iso"))


# --- the edition -----------------------------------------------------------------------------

def publish(db: Path, out: Path, data_dir: Path | None = None,
            progress: Callable[[str], None] | None = None) -> Edition:
    """Write the edition of `db` into `out`; the previous edition there is replaced only when the
    new one is complete."""
    from dashboards.data import DashboardData

    say = progress or (lambda _m: None)
    out = Path(out)
    # Only a folder this command wrote is replaced (OutputRefused otherwise, nothing written).
    folder = OutputFolder(out, "publish", data_dir)
    folder.check()
    data = DashboardData(Path(db))  # raises DatabaseMissing with the command to run
    try:
        work = folder.start()
        say("Exporting the tables (CSV, Parquet, datapackage.json)")
        csv_files = _write_data(db, work / "data")
        built = build_date()
        digest = content_hash(csv_files)
        identifier = f"{built}-{digest[:12]}"
        try:
            has_wacz = write_captures_wacz(data_dir or config.data_dir(),
                                           work / "captures.wacz", identifier, data, say)
        except CapturesError as exc:
            raise PublishError(str(exc)) from exc
        say("Writing the pages")
        site = _Site(data, work, identifier, built, digest, has_wacz)
        pages = site.write_all()
        say("Indexing the pages for search (Pagefind)")
        edition_search.index_edition(work)
        _finish_data_package(work / "data" / "datapackage.json", identifier, built, digest)
        _write_text(work / "CITATION.cff", site.render("CITATION.cff.j2", "CITATION.cff"))
        _write_text(work / "README.md", site.render("README.md.j2", "README.md",
                                                    row_counts=_row_counts(work / "data")))
        (work / MARKER).write_text(json.dumps({
            "edition": identifier, "built": built, "content_sha256": digest,
            "program": f"bestbits-archive {__version__}", "pages": len(pages),
            "captures_wacz": has_wacz}, indent=2) + "\n")
        data.con.close()
        folder.finish(identifier)
    except BaseException:
        data.con.close()
        folder.abandon()
        raise
    return Edition(out, identifier, built, digest, tuple(pages), has_wacz)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_data(db: Path, folder: Path) -> list[Path]:
    """Every table as CSV and Parquet through export's writer (so its rules apply), described by
    one datapackage.json: CSV resources under the table's name, Parquet ones as <name>-parquet."""
    package_file = folder / "datapackage.json"
    written = export(db, folder, "csv")
    csv_package = json.loads(package_file.read_text())
    export(db, folder, "parquet")
    parquet_package = json.loads(package_file.read_text())
    for resource in parquet_package["resources"]:
        resource["name"] = f"{resource['name']}-parquet"
    csv_package["resources"] += parquet_package["resources"]
    package_file.write_text(json.dumps(csv_package, indent=2, ensure_ascii=False) + "\n")
    return [p for p in written if p.suffix == ".csv"]


def _row_counts(folder: Path) -> list[tuple[str, int]]:
    import pyarrow.parquet as pq

    return [(path.stem, pq.ParquetFile(path).metadata.num_rows)
            for path in sorted(folder.glob("*.parquet"))]


def _finish_data_package(path: Path, identifier: str, built: str, digest: str) -> None:
    package = json.loads(path.read_text())
    package["id"] = f"bestbits-archive-edition-{identifier}"
    package["created"] = f"{built}T00:00:00Z"
    package["edition"] = {"identifier": identifier, "built": built, "content_sha256": digest,
                          "hash_of": "the CSV files: sha256 of the sorted 'name sha256' lines"}
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n")


class _Site:
    """The pages of one edition: named queries in, rendered templates out."""

    def __init__(self, data, folder: Path, identifier: str, built: str, digest: str,
                 has_wacz: bool):
        self.data = data  # dashboards.data.DashboardData: the dashboards' named queries
        self.folder, self.identifier, self.built, self.digest = folder, identifier, built, digest
        self.has_wacz = has_wacz
        self.env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                               autoescape=select_autoescape(["html.j2"]),
                               trim_blocks=True, lstrip_blocks=True)
        # Only http(s) addresses become links (autoescape escapes them in attributes); a
        # source is always linked through its archived version (macros.html.j2: source_link).
        self.env.filters["href"] = links.http_url
        self.env.filters["row_link"] = links.row_link
        self.env.filters["source_link"] = links.source_link
        self.env.filters["page_id"] = page_id
        self.forums = list(self.data.cached("forums")["forum"])
        self.pages: list[str] = []
        self.trace_types: set[str] = set()

    def query(self, name: str, **params) -> pd.DataFrame:
        return self.data.query(name, **params)

    def render(self, template: str, path: str, **context) -> str:
        depth = path.count("/")
        return self.env.get_template(template).render(
            root="../" * depth, path=path, edition=self.identifier, built=self.built,
            digest=self.digest, version=__version__, title=TITLE, forums=self.forums,
            has_wacz=self.has_wacz, **context)

    def page(self, template: str, path: str, **context) -> None:
        _write_text(self.folder / path, self.render(template, path, **context))
        self.pages.append(path)

    def chart(self, figure) -> Markup:
        text = figure_json(figure)
        self.trace_types.update(t.get("type", "scatter") for t in json.loads(text).get("data", []))
        return Markup(text)

    def write_all(self) -> list[str]:
        self._overview()
        self._events()
        self._statements()
        self._participation()
        self._sources()
        self._assets()  # last: the plotly.js bundle depends on the trace types drawn
        return self.pages

    def _assets(self) -> None:
        assets = self.folder / "assets"
        assets.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(plotly_bundle(self.trace_types), assets / "plotly.min.js")
        # plotly.js is MIT-licensed: its licence travels with the copy.
        shutil.copyfile(BASIC_BUNDLE.with_name("LICENSE-plotly.js.txt"), assets / "plotly.js.LICENSE")
        for name in ("edition.js", "edition.css", "favicon.svg", "edition-search.js",
                     "edition-search.css"):
            shutil.copyfile(TEMPLATES_DIR / "static" / name, assets / name)

    def _overview(self) -> None:
        from dashboards import figures

        activity = self.query("activity_by_year_forum")
        events = self.data.cached("events")
        summary = self.query("record_summary")
        self.page("overview.html.j2", "index.html", page_title="Overview",
                  activity=self.chart(figures.activity_by_year_forum(
                      activity, list(figures.KIND_LABELS), self.forums,
                      title="Activity by year and forum")),
                  timeline=self.chart(figures.timeline(
                      events, self.data.cached("forum_meetings"), self.data.cached("milestones"),
                      self.forums)),
                  summary=records(summary), milestones=records(self.data.cached("milestones")))

    def _events(self) -> None:
        from dashboards import figures

        events = self.data.cached("events")
        captures = self.query("site_item_captures")
        self.page("events.html.j2", "events.html", page_title="Events",
                  rows=records(events), columns=EVENT_COLUMNS,
                  places=self.chart(figures.events_by_place(self.query("events_by_place"))))
        for event in records(events):
            event_id = page_id(event["event_id"])
            if not event_id:
                continue
            detail = records(self.query("event_detail", event_id=event_id))[0]
            agenda = records(self.query("event_agenda", event_id=event_id))
            self.page("event.html.j2", f"events/{event_id}.html", page_title=detail["title"],
                      event=detail, agenda=agenda,
                      captures=records(captures[captures["item_id"] == event_id]))

    def _statements(self) -> None:
        from dashboards import figures
        from dashboards.pages.statements import sanitise_for_display, text_date

        statements = self.data.cached("statements")
        captures = self.query("site_item_captures")
        self.page("statements.html.j2", "statements.html", page_title="Statements",
                  rows=records(statements), columns=STATEMENT_COLUMNS)
        for statement in records(statements):
            statement_id = page_id(statement["statement_id"])
            if not statement_id:
                continue
            detail = records(self.query("statement_detail", statement_id=statement_id))[0]
            text_html = detail.get("text_html")
            # Archived HTML is untrusted: cleaned again here, with the dashboards' own policy.
            text = (Markup(sanitise_for_display(text_html, text_date(detail))) if text_html
                    else None)
            summary = self.query("statement_signatory_summary", statement_id=statement_id)
            charts = [self.chart(figures.signatories_by(summary[summary["facet"] == facet], facet))
                      for facet in ("country", "kind") if (summary["facet"] == facet).any()]
            counts = records(self.query("statement_signatory_counts",
                                        statement_id=statement_id))
            self.page("statement.html.j2", f"statements/{statement_id}.html",
                      page_title=detail["title"], statement=detail, text=text,
                      listed_against_stated=counts[0]["listed_against_stated"] if counts else None,
                      signatories=records(self.query("statement_signatories",
                                                     statement_id=statement_id)),
                      charts=charts,
                      captures=records(captures[captures["item_id"] == statement_id]))

    def _participation(self) -> None:
        from dashboards import participation_figures as pf

        summary = self.query("record_summary")
        messages = summary[summary["table_name"] == "messages"]
        counts = {str(r.method): int(r.rows) for r in messages.itertuples()}
        charts = []
        if counts.get("parsed"):
            charts.append(self.chart(pf.combine(
                [pf.messages_per_month(self.query("participation_messages_per_month")),
                 pf.posters_per_month(self.query("participation_posters_per_month"))],
                "Messages and distinct posters per month", rows=2, shared_xaxes=True,
                height=520)))
            charts.append(self.chart(pf.combine(
                [pf.posters_per_year(self.query("participation_posters_per_year")),
                 pf.cohorts(self.query("participation_cohorts"))],
                "Posters per year; newcomers and retention by yearly cohort", cols=2,
                height=380)))
            charts.append(self.chart(pf.organisations(self.query("participation_organisations"))))
            charts.append(self.chart(pf.forum_mentions(
                self.query("participation_forum_mentions_per_month"), self.forums)))
            charts.append(self.chart(pf.event_activity(self.query("participation_event_activity"))))
        sample = self.query("dashboard_participation_sample")
        months = self.query("sources_list_months")
        self.page("participation.html.j2", "participation.html", page_title="Participation",
                  counts=counts, charts=charts,
                  months=self.chart(pf.list_months(months)) if len(months) else None,
                  archive_size=config.LIST_ARCHIVE_SIZE,
                  sample=records(sample, ["sent", "list", "subject", "source_url"]))

    def _sources(self) -> None:
        from dashboards import participation_figures as pf

        coverage = self.query("coverage")
        tables = sorted({str(t) for t in coverage["table_name"]})
        by_table = {table: self.chart(pf.rows_by_year(coverage, table)) for table in tables}
        captures = self.query("sources_captures_per_month")
        list_months = self.query("sources_list_months")
        self.page("sources.html.j2", "sources.html", page_title="Sources & coverage",
                  by_table=by_table, provenance=records(self.query("sources_provenance")),
                  captures_chart=self.chart(pf.captures_per_month(captures)) if len(captures)
                  else None,
                  list_chart=self.chart(pf.list_months(list_months)) if len(list_months) else None,
                  rejects=records(self.query("rejects")))

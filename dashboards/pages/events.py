"""The Events page: a filterable table, an event's details and agenda, and where meetings took place."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from bestbits.links import row_link
from dashboards import figures
from dashboards.data import DashboardData
from dashboards.evidence import EvidencePanel, clickable
from dashboards.pages.filters import choice, value_of
from dashboards.tables import csv_download_link, html_table, source_link_html
from dashboards.view_state import ViewState
from dashboards.widgets_common import notice

TABLE_COLUMNS = ["start", "end", "title", "forum", "kind", "city", "country", "source_url",
                 "method"]
NO_EVENT = "(choose an event)"


class EventsPage:
    def __init__(self, data: DashboardData, state: ViewState):
        self.data, self.state = data, state
        facets = data.cached("event_filters")
        options = {f: list(facets[facets["facet"] == f]["value"]) for f in ("year", "kind",
                                                                             "place")}
        self.forum = choice(state, "forum", "Forum", list(data.forums()["forum"]))
        self.year = choice(state, "year", "Year", options["year"], "160px")
        self.kind = choice(state, "kind", "Kind", options["kind"])
        self.place = choice(state, "place", "Place", options["place"], "280px")
        self.table = widgets.HTML()
        self.selector = widgets.Dropdown(description="Event", layout=widgets.Layout(
            width="720px"))
        self.details = widgets.HTML()
        self.places = widgets.Box()
        self.evidence = EvidencePanel("Click a bar to list the events held there.")
        self.frame = pd.DataFrame()
        for control in (self.forum, self.year, self.kind, self.place):
            control.observe(self._filters_changed, names="value")
        self.selector.observe(self._selected, names="value")

    def _filters_changed(self, _change=None) -> None:
        self.state.set(forum=value_of(self.forum), year=value_of(self.year),
                       kind=value_of(self.kind), place=value_of(self.place))
        self.refresh()

    def refresh(self) -> None:
        self.frame = self.data.query(
            "events_filtered", forum=value_of(self.forum), year=value_of(self.year),
            kind=value_of(self.kind), place=value_of(self.place))
        if self.frame.empty:
            self.table.value = notice("No event matches these filters.", "empty").value
        else:
            self.table.value = (csv_download_link(self.frame, "bestbits-events.csv")
                                + html_table(self.frame, TABLE_COLUMNS))
        wanted = self.state.get("event")
        options = [(NO_EVENT, "")] + [(f"{r.start} · {r.title}", r.event_id)
                                      for r in self.frame.itertuples()]
        self.selector.unobserve(self._selected, names="value")
        self.selector.options = options
        self.selector.value = wanted if wanted in set(self.frame["event_id"]) else ""
        self.selector.observe(self._selected, names="value")
        self._show_event(self.selector.value)
        self._draw_places()

    def _selected(self, change) -> None:
        self.state.set(event=change["new"] or None)
        self._show_event(change["new"])

    def _show_event(self, event_id: str) -> None:
        if not event_id:
            self.details.value = ("<p style='color:#555'>Choose an event above to see its "
                                  "dates, place, agenda and sources.</p>")
            return
        event = self.data.query("event_detail", event_id=event_id).iloc[0]
        agenda = self.data.query("event_agenda", event_id=event_id)
        self.details.value = event_details_html(event, agenda)

    def _draw_places(self) -> None:
        places = self.data.query("events_by_place", forum=value_of(self.forum))
        figure = figures.events_by_place(places)
        self.places.children = [clickable(figure, self._place_clicked)]

    def _place_clicked(self, trace, points) -> None:
        country = points.xs[0]
        rows = self.data.query("events_filtered", forum=value_of(self.forum), place=country)
        self.evidence.show(f"Events in {country}", rows, "bestbits-events-place.csv",
                           TABLE_COLUMNS)

    def widget(self) -> widgets.Widget:
        self.refresh()
        return widgets.VBox([
            widgets.HTML("<h2>Events</h2><p>The network's meetings, side meetings, calls and "
                         "governance events. Open markers on the overview and 'month only' "
                         "here mean the source gives only the month.</p>"),
            widgets.HBox([self.forum, self.year, self.kind, self.place]),
            self.table,
            self.selector,
            self.details,
            widgets.HTML("<h3>Where the meetings took place</h3>"),
            self.places,
            self.evidence.widget,
        ])


def event_details_html(event: pd.Series, agenda: pd.DataFrame) -> str:
    """An event's card: every value escaped, every address a safe link."""
    def esc(value) -> str:
        return "" if value is None or pd.isna(value) else html.escape(str(value))

    when = esc(event["start"]) + (f" – {esc(event['end'])}" if esc(event["end"]) and
                                  event["end"] != event["start"] else "")
    if event["date_precision"] != "day":
        when += " <i>(only the month is known)</i>"
    place = ", ".join(p for p in (esc(event["venue"]), esc(event["city"]), esc(event["country"]))
                      if p)
    links = [source_link_html(row_link(event, "source_url"))]
    page = row_link(event, "url")
    if page:
        links.append("event page on bestbits.net: " + source_link_html(page))
    parts = [
        f"<div class='bb-event' style='border-left:4px solid "
        f"{figures.forum_colour(event['forum'])};padding:4px 12px;margin:8px 0'>",
        f"<h3 style='margin:4px 0'>{esc(event['title'])}</h3>",
        f"<p><b>When:</b> {when}<br><b>Where:</b> {place or '—'}<br>"
        f"<b>Forum:</b> {esc(event['forum'])} · <b>Kind:</b> {esc(event['kind'])}"
        + (f"<br><b>Organisers:</b> {esc(event['organisers'])}" if esc(event["organisers"])
           else "")
        + f"<br><b>Sources:</b> {' · '.join(links)} ({esc(event['method'])})</p>",
    ]
    if esc(event["notes"]):
        parts.append(f"<p style='font-size:12px;color:#444'>{esc(event['notes'])}</p>")
    if agenda.empty:
        parts.append("<p><i>No agenda is recorded for this event.</i></p>")
    else:
        parts.append("<h4>Agenda</h4>" + csv_download_link(agenda, f"agenda-{event['event_id']}"
                                                                   ".csv")
                     + html_table(agenda, ["position", "day", "start_time", "end_time", "title",
                                           "moderators", "source_url"]))
    parts.append("</div>")
    return "".join(parts)



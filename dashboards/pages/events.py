"""The Events page: a filterable table, an event's card (dates, place, agenda, sources), and where
the meetings took place. The edition gives each event a page of its own, with the same card."""

from __future__ import annotations

from dashboards import figures
from dashboards.page import Context, ControlSpec, ItemPages, Page, Point, Section
from dashboards.page_view import LIVE_ONLY, Card, Fact, Facts, Heading, Notice, Prose, records
from dashboards.pages.common import (
    captures,
    chart,
    evidence,
    forum_options,
    source_links,
    table,
)

TABLE_COLUMNS = ["start", "end", "title", "forum", "kind", "city", "country", "source_url",
                 "method"]
AGENDA_COLUMNS = ["position", "day", "start_time", "end_time", "title", "moderators",
                  "source_url"]


def facet_options(facet: str):
    def options(ctx: Context) -> list[tuple[str, str]]:
        facets = ctx.query("event_filters")
        return [(str(v), str(v)) for v in facets.where(facet=facet)["value"]]
    return options


def filtered(ctx: Context):
    """The events the filters leave (queries/events_filtered.sql)."""
    return ctx.query("events_filtered", forum=ctx.value("forum"), year=ctx.value("year"),
                     kind=ctx.value("kind"), place=ctx.value("place"))


def event_options(ctx: Context) -> list[tuple[str, str]]:
    return [(f"{r.start} · {r.title}", r.event_id) for r in filtered(ctx)]


CONTROLS = [
    ControlSpec("forum", "Forum", "choice", forum_options, width="230px"),
    ControlSpec("year", "Year", "choice", facet_options("year"), width="160px"),
    ControlSpec("kind", "Kind", "choice", facet_options("kind"), width="230px"),
    ControlSpec("place", "Place", "choice", facet_options("place"), width="280px"),
    ControlSpec("event", "Event", "choice", event_options, all_label="(choose an event)",
                width="720px"),
]


def heading(_ctx: Context):
    return [Heading("title", "Events", 1),
            Prose("intro", "The network's meetings, side meetings, calls and governance events. "
                  "Open markers on the overview and 'month only' here mean the source gives only "
                  "the month. Choose an event (in the edition: follow its title) to see its "
                  "dates, place, agenda and sources.")]


def events_table(ctx: Context):
    frame = filtered(ctx)
    shown = (Notice("events-none", "No event matches these filters.", "empty") if frame.empty
             else table("events", frame, TABLE_COLUMNS, "bestbits-events.csv",
                        item_link=("events", "event_id"), filterable=True))
    return [ctx.controls("forum", "year", "kind", "place"), shown]


def chosen_event(ctx: Context):
    event_id = ctx.value("event")
    card = event_card(ctx, event_id) if event_id else None
    return [ctx.controls("event"), card or Prose(
        "event-hint", "<span style='color:#555'>Choose an event above to see its dates, place, "
        "agenda and sources.</span>", faces=LIVE_ONLY)]


def event_card(ctx: Context, event_id: str) -> Card | None:
    """An event's card: when, where, forum, kind, organisers, sources, agenda, captures."""
    found = ctx.query("event_detail", event_id=event_id)
    if found.empty:
        return None
    event = records(found)[0]
    when = event["start"] or ""
    if event["end"] and event["end"] != event["start"]:
        when += f" – {event['end']}"
    if event["date_precision"] != "day":
        when += " (only the month is known)"
    facts = [
        Fact("When", when or "—"),
        Fact("Where", ", ".join(p for p in (event["venue"], event["city"], event["country"])
                                if p) or "—"),
        Fact("Forum", event["forum"] or "—"),
        Fact("Kind", event["kind"] or "—"),
    ]
    if event["organisers"]:
        facts.append(Fact("Organisers", event["organisers"]))
    if event["notes"]:
        facts.append(Fact("Notes", event["notes"]))
    facts.append(Fact("Sources", links=source_links(
        event, [("archived source", "source_url"), ("event page on bestbits.net", "url")]),
        note=event["method"] or ""))
    facts.append(Fact("Identifier", event_id, code=True))
    agenda = ctx.query("event_agenda", event_id=event_id)
    blocks = [Facts(f"event-{event_id}-facts", facts),
              Heading(f"event-{event_id}-agenda", "Agenda", 3)]
    if agenda.empty:
        blocks.append(Prose(f"event-{event_id}-no-agenda",
                            "<i>No agenda is recorded for this event.</i>"))
    else:
        blocks.append(table(f"event-{event_id}-agenda-rows", agenda, AGENDA_COLUMNS,
                            f"agenda-{event_id}.csv"))
    found_captures = captures(ctx, event_id)
    if found_captures:
        blocks.append(found_captures)
    return Card(f"event-{event_id}", event["title"] or event_id,
                figures.forum_colour(event["forum"]), "bb-event", blocks, item_page="events")


def places(ctx: Context):
    figure = figures.events_by_place(ctx.query("events_by_place", forum=ctx.value("forum")))
    return [Heading("places-title", "Where the meetings took place", 2),
            chart("places", figure, click="places")]


def places_clicked(point: Point) -> dict[str, str | None]:
    return {"evidence": str(point.x)} if point.x else {}


def events_in_country(ctx: Context):
    hint = "Click a bar to list the events held there."
    country = ctx.raw("evidence")
    if not country:
        return evidence("evidence", hint)
    rows = ctx.query("events_filtered", forum=ctx.value("forum"), place=country)
    return evidence("evidence", hint, f"Events in {country}", rows, TABLE_COLUMNS,
                    "bestbits-events-place.csv")


def all_events(ctx: Context) -> list[str]:
    return [str(e) for e in ctx.query("events")["event_id"]]


PAGE = Page("events", CONTROLS, [
    Section("heading", heading),
    Section("table", events_table),
    Section("event", chosen_event),
    Section("places", places),
    Section("evidence", events_in_country),
], clicks={"places": places_clicked},
    items=ItemPages("events", all_events, event_card, "All events"))

"""Event pages: the calendar plugin's fields, plain posts with agenda tables, and agendas as text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.parse.events import parse_agenda, parse_event, split_location
from scrapers.parse.tree import read_document
from support.site_pages import FIXTURES

CALENDAR_URL = "https://bestbits.net/event/example-strategy-meeting/?instance_id=900001"


def test_calendar_event_page():
    event = parse_event(CALENDAR_URL, (FIXTURES / "ai1ec_event.html").read_bytes())
    assert event.title == "Example Strategy Meeting"
    assert (event.start.day, event.end.day) == (date(2013, 10, 19), date(2013, 10, 20))
    assert (event.start_time, event.end_time) == ("09:00", "17:00")
    assert (event.venue, event.city, event.country) == ("Sample Conference Hall", "Lisbon",
                                                        "Portugal")
    assert event.kind == "strategy meeting"
    assert event.instance_id == "900001"
    assert event.shortcode_event_ids == ["900000"]
    assert [(a.position, a.title, a.moderators) for a in event.agenda] == [
        (1, "Registration", None),
        (2, "Welcome and introductions", "Alice Example"),
        (3, "Tactics for the forum", "Bruno Sample; Chen Test"),
        (4, "Lunch", None),
    ]
    assert event.problems == []


def test_language_variant_with_spanish_labels():
    event = parse_event(CALENDAR_URL.replace("/event/", "/es/event/"),
                        (FIXTURES / "ai1ec_event_es.html").read_bytes())
    assert event.start.day == date(2013, 10, 19) and event.city == "Lisbon"
    assert event.agenda == []
    english = parse_event(CALENDAR_URL, (FIXTURES / "ai1ec_event.html").read_bytes())
    assert english.completeness() > event.completeness()


def test_plain_post_with_date_and_venue_labels_and_an_agenda_table():
    event = parse_event("http://bestbits.net/example-side-meeting-2015/",
                        (FIXTURES / "post_agenda.html").read_bytes())
    assert event.title == "Example side meeting on the review process"
    # One day printed: a one-day event, which ends the day it starts.
    assert event.start.day == date(2015, 3, 2) and event.end.day == date(2015, 3, 2)
    assert (event.venue, event.city, event.country) == ("Example House", "Paris", "France")
    assert [(a.start_time, a.end_time, a.title, a.moderators) for a in event.agenda] == [
        ("09:00", "12:00", "Civil society coordination session 1", None),
        ("12:00", "13:00", "Lunch", None),
        ("13:00", "14:00", "Cross-community session: setting the scene", "Eve Example"),
        ("15:30", "17:30", "Civil society coordination session 2", None),
    ]


def test_a_page_without_title_or_date_says_so():
    event = parse_event("https://bestbits.net/event/untitled-example/",
                        (FIXTURES / "no_title.html").read_bytes())
    assert event.problems == ["no title", "no date"]


def test_agenda_as_text_lines_with_day_headings():
    # What archived pages hold once markup is gone: 'Time | Session |' rows as text.
    html = """<div class="entry-content"><p>Time | Session |<br>
    09:00-12:00 | Awareness raising session 1 |<br>12:00-13:00 | Lunch |</p>
    <h4>Sunday, 31 August</h4>
    <p>9:30 - 11 am Welcome (facilitated by Ana Example &amp; Ben Example)</p></div>"""
    items = parse_agenda(read_document(html), year=2014)
    assert [(i.position, i.day, i.start_time, i.end_time, i.title, i.moderators)
            for i in items] == [
        (1, None, "09:00", "12:00", "Awareness raising session 1", None),
        (2, None, "12:00", "13:00", "Lunch", None),
        (3, "2014-08-31", "09:30", "11:00", "Welcome", "Ana Example; Ben Example"),
    ]


def test_agenda_table_with_a_moderator_column_and_day_rows():
    html = """<table><tr><th>Hora</th><th>Sesión</th><th>Moderadores</th></tr>
    <tr><td colspan="3">22 de abril de 2014</td></tr>
    <tr><td>09:30 - 10:00</td><td>Introducciones</td><td>Ana Example, Ben Example</td></tr>
    </table>"""
    items = parse_agenda(read_document(f"<body>{html}</body>"))
    assert [(i.day, i.start_time, i.title, i.moderators) for i in items] == [
        ("2014-04-22", "09:30", "Introducciones", "Ana Example; Ben Example")]


def test_a_table_that_is_not_an_agenda_is_ignored():
    html = "<table><tr><td>Name</td><td>Country</td></tr><tr><td>A</td><td>B</td></tr></table>"
    assert parse_agenda(read_document(f"<body>{html}</body>")) == []


@pytest.mark.parametrize("text, expected", [
    ("Grand Example Hotel, Av. Example, 13301, São Paulo – SP, Brazil",
     ("Grand Example Hotel", "São Paulo", "Brazil")),
    ("Paris, France", (None, "Paris", "France")),
    ("Example Hall", ("Example Hall", None, None)),
    ("Example Hall, Somewhere", ("Example Hall", "Somewhere", None)),
    ("online", ("online", None, None)),
])
def test_location_is_split_without_guessing_a_country(text, expected):
    assert split_location(text) == expected


def test_title_falls_back_step_by_step():
    from scrapers.parse.pages import page_title

    assert page_title(read_document("<h2 class='entry-title'>Older theme</h2><h1>Site</h1>")
                      ) == "Older theme"
    assert page_title(read_document("<title>Only a title &#8211; Best Bits</title>")
                      ) == "Only a title"
    assert page_title(read_document("<title>Best Bits</title>")) is None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["<table><tr><td>Time</td><td>Session</td></tr>",
                                               "<h3>Agenda</h3><ul><li>", "When:", "<br>"]))
def test_event_parser_never_crashes(text, markup):
    event = parse_event("https://bestbits.net/event/x/", f"<body>{markup}{text}</body>")
    assert isinstance(event.problems, list)


def test_agenda_as_short_paragraphs_after_an_agenda_heading():
    html = """<div class="entry-content"><h3>Agenda</h3><p>Registration</p>
    <p>Welcome and introductions (moderation: Andrew Example)</p>
    <p>Follow-up and tactics moving forward (moderation: Deb Example + Anja Example)</p>
    <p>To add a report, click the Upload button above. [eventreports event=”134671″]</p>
    <p>Something after</p></div>"""
    items = parse_agenda(read_document(html))
    assert [(i.title, i.moderators) for i in items] == [
        ("Registration", None),
        ("Welcome and introductions", "Andrew Example"),
        ("Follow-up and tactics moving forward", "Deb Example; Anja Example"),
    ]


def test_the_post_date_is_not_taken_for_the_event_date():
    html = """<body><div id="content"><h2 class="title">Example meeting</h2>
    <p class="postmetadata">2. February, 2015 | Events | No comments</p>
    <table><tr><td>Time</td><td>Session</td></tr><tr><td>09:00-10:00</td><td>Opening</td></tr>
    </table></div></body>"""
    event = parse_event("http://bestbits.net/example/", html)
    assert event.start is None
    assert "no event date (only the post's own date)" in event.problems


def test_plain_post_meta_line_gives_day_and_place_and_pipe_cells_lose_their_pipe():
    event = parse_event("https://bestbits.net/wsis10-civil-society-day-2015/",
                        (FIXTURES / "post_pipe_meta.html").read_bytes())
    assert event.title == "WSIS+10 review: cross-community dialogue and civil society coordination"
    assert event.start.day == event.end.day == date(2015, 3, 2)
    assert (event.city, event.country) == ("Paris", "France")
    titles = [a.title for a in event.agenda]
    assert len(titles) == 7 and titles[0].startswith("Civil society awareness raising")
    assert not any(t.endswith("|") for t in titles) and "Session" not in titles


def test_header_rows_in_three_languages_are_never_sessions():
    from scrapers.parse.events import is_header_row, meta_place_and_date

    for header in (["Time", "Session"], ["Hora", "Sesión"], ["Heure |", "Session |"],
                   ["Horário", "Sessão", "Moderação"]):
        assert is_header_row(header), header
    assert not is_header_row(["09:00-10:00", "Session one"])
    html = ("<html><body><h1 class='entry-title'>Reunión de ejemplo</h1><div class='entry-content'>"
            "<p>Fecha: 2 de marzo de 2015</p><table><tr><td>Sala</td><td>Hora</td><td>Sesión</td>"
            "</tr><tr><td>A</td><td>09:00-10:00</td><td>Apertura</td></tr>"
            "<tr><td>Sala</td><td>Hora</td><td>Sesión</td></tr>"
            "<tr><td>B</td><td>10:00-11:00</td><td>Cierre |</td></tr></table></div></body></html>")
    event = parse_event("https://bestbits.net/es/reunion/", html)
    assert [a.title for a in event.agenda] == ["Apertura", "Cierre"]
    assert event.lang == "es"
    # A meta line without a place dates the post, not the event.
    assert meta_place_and_date("2. February, 2015 | Events | No comments") is None
    when, _venue, city, country = meta_place_and_date("Monday, March 2, 2015 · Paris, France")
    assert (when.start.day, city, country) == (date(2015, 3, 2), "Paris", "France")


def test_portuguese_dates_are_read():
    html = ("<html><body><h1 class='entry-title'>Reunião de exemplo</h1>"
            "<div class='entry-content'><p>Data: segunda-feira, 2 de março de 2015</p>"
            "<p>Local: Rua Exemplo 10, São Paulo, Brasil</p></div></body></html>")
    event = parse_event("https://bestbits.net/pt/reuniao/", html)
    assert event.start.day == date(2015, 3, 2) and event.country == "Brasil"
    assert event.lang == "pt"


# -- page shapes of the seed document (issue 17): sessions without a heading, sessions as lines
#    of one paragraph, 'Time | Session |' rows after a plain sentence, numbered day headings,
#    start and end columns, a time printed above its session. The fixtures are synthetic.

def _agenda(file: str, url: str = "https://bestbits.net/event/example/"):
    from scrapers.parse.tree import BACKENDS

    html = (FIXTURES / file).read_bytes()
    found = {name: parse_event(url, read_document(html.decode("utf-8"), name)).agenda
             for name in BACKENDS}
    assert len({repr(v) for v in found.values()}) == 1, "the two HTML backends disagree"
    return [(a.position, a.day, a.start_time, a.end_time, a.title, a.moderators)
            for a in next(iter(found.values()))]


def test_sessions_as_one_line_paragraphs_with_no_heading_are_an_agenda():
    agenda = _agenda("event_sessions_unheaded.html")
    assert [(a[4], a[5]) for a in agenda] == [
        ("Registration", None),
        ("Opening round and introductions", "Ana"),
        ("What the forum will decide, and how we respond", "Bea"),
        ("Open floor – each group gets five minutes for news from its region", None),
        ("Lunch and informal talks", None),
        ("Joint positions for the week ahead", "Cai; Dov"),
        ("How this group continues", None),
    ]


def test_sessions_as_lines_of_one_paragraph_keep_every_session_to_the_shortcodes():
    agenda = _agenda("event_sessions_lines.html")
    titles = [a[4] for a in agenda]
    assert len(titles) == 10 and titles[0] == "Morning coffee"
    # A bracket inside a session ('[to be confirmed]') is not a shortcode: the two sessions
    # after it are kept; the shortcodes end the agenda.
    assert titles[-2:] == ["Meeting with the technical community",
                           "Talks with invited governments (one by one or together – to be "
                           "confirmed)"]
    assert not any("[backgroundpapers" in t or "organised by" in t for t in titles)


def test_time_session_rows_after_a_plain_sentence():
    agenda = _agenda("post_rough_agenda_rows.html", "https://bestbits.net/example-review-day/")
    assert [(a[2], a[3], a[4]) for a in agenda] == [
        ("09:00", "12:00", "Civil society preparation, part 1"),
        ("12:00", "13:00", "Lunch"),
        ("13:00", "14:00", "Joint session 1: what is on the table this year?*"),
        ("14:00", "15:00", "Joint session 2: strategies side by side*"),
        ("15:00", "15:30", "Break"),
        ("15:30", "17:30", "Civil society preparation, part 2"),
    ]


def test_numbered_days_start_and_end_columns_and_times_above_their_sessions():
    agenda = _agenda("event_two_days_tables.html", "https://bestbits.net/example-workshop/")
    assert agenda == [
        (1, "2013-10-19", "09:00", "09:30", "Welcome", "Eka Example"),
        (2, "2013-10-19", "09:30", "11:00", "Mapping the issues", "Fen Sample; Gus Test"),
        # 'Day 2 – 20 October' is the 20th: the day's number is never read as a date.
        (3, "2013-10-20", "09:30", "11:00", "Drafting groups", "Hana Example"),
        (4, "2013-10-20", "11:30", "13:00", "Reporting back and next steps", None),
    ]


def test_short_lines_without_session_cues_are_not_an_agenda():
    html = ("<body><div class='entry-content'><p>When: March 2, 2015</p><ul><li>Human rights"
            "</li><li>Open architecture</li><li>Inclusive governance</li></ul>"
            "<p>Paper one<br>Paper two<br>Paper three</p></div></body>")
    assert parse_event("https://bestbits.net/event/x/", html).agenda == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                        max_size=60), min_size=1, max_size=8))
def test_lines_of_any_text_never_crash_the_agenda_and_keep_their_order(lines):
    html = "<body><div class='entry-content'><p>" + "<br>".join(
        line.replace("<", " ") for line in lines) + "</p></div></body>"
    agenda = parse_agenda(read_document(html))
    assert [a.position for a in agenda] == list(range(1, len(agenda) + 1))

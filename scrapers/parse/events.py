"""Read an event page: title, dates and times, venue, city, country, kind, and the agenda in order.

Two markups are known: the All-in-One Event Calendar's single-event page ("When:", "Where:",
"Categories:" rows) and plain posts with the details in the text and an agenda table
`Time | Session`. Labels are read in English, Spanish, French and Portuguese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapers.parse.dates import (
    DateRange,
    PartialDate,
    parse_date,
    parse_date_range,
    parse_time_range,
)
from scrapers.parse.language import detect_language
from scrapers.parse.pages import (
    decode_body,
    page_title,
    published,
    shortcodes,
    site_address,
    strip_cell_pipe,
)
from scrapers.parse.tree import Block, Document, read_document

_LABELS = {
    "when": r"when|date|dates|date\(s\)|fecha|fechas|cu[áa]ndo|quand|quando|data|datas",
    "where": r"where|venue|location|place|lugar|d[óo]nde|sede|lieu|o[ùu]|onde|local|endere[çc]o",
    "categories": r"categories|category|categor[íi]as?|cat[ée]gories?",
    "tags": r"tags|etiquetas|mots-cl[ée]s",
}
_LABEL_LINE = {
    key: re.compile(rf"^(?:{pattern})\s*:\s*(.*)$", re.IGNORECASE) for key, pattern in
    _LABELS.items()
}
_ANY_LABEL = re.compile(
    r"^(" + "|".join(_LABELS.values()) + r"|cost|contact|price|coste|co[ûu]t|contacto)\s*:",
    re.IGNORECASE)
_TIME_HEADER = re.compile(r"^(time|times|hora|horas|heure|horaire|hor[áa]rio|start|starts|from|"
                          r"begin|inicio|in[íi]cio|d[ée]but)$", re.IGNORECASE)
# A column of end times beside the start ('Start | End | Session').
_END_HEADER = re.compile(r"^(end|ends|until|to|fin|final|t[ée]rmino|fim)$", re.IGNORECASE)
_TITLE_HEADER = re.compile(r"^(session|sessions|sesi[óo]n|sess[ãa]o|topic|activity|actividad|"
                           r"activit[ée]|agenda|item|title|programme|program|tema)$",
                           re.IGNORECASE)
_PEOPLE_HEADER = re.compile(r"^(moderators?|moderation|facilitators?|facilitation|speakers?|"
                            r"chairs?|moderador(es)?|modérat(eur|ion)s?|moderação|ponentes)$",
                            re.IGNORECASE)
# Other words of an agenda table's header row: with the three above, a row of nothing but these
# is a header wherever it stands, never a session.
_OTHER_HEADER = re.compile(r"^(room|rooms|sala|salle|venue|lugar|lieu|local|day|d[íi]a|jour|dia|"
                           r"date|fecha|data|notes?|notas?|description|descripci[óo]n|"
                           r"descri[çc][ãa]o|#|no\.?|n[º°o])$", re.IGNORECASE)
# A meta line's separators: 'Monday, March 2, 2015 · Paris, France', '... | Paris, France'.
_META_MARK = re.compile(r"[·•|]|\s[—–]\s")
_META_SEPARATOR = re.compile(r"\s+[·•|—–]\s+|\s*[·•|]\s*")
_AGENDA_HEADING = re.compile(r"^(agenda|draft agenda|programme|program|schedule|programa|"
                             r"ordre du jour|pauta|a rough agenda|orden del d[íi]a)\b",
                             re.IGNORECASE)
_MODERATION = re.compile(
    r"\(\s*(?:moderat(?:ion|ors?|ed by)|facilitat(?:ion|ors?|ed by)|chair(?:ed by)?|"
    r"moderaci[óo]n|moderador(?:es|a)?|mod[ée]ration|mod[ée]rateur(?:s|rice)?|modera[çc][ãa]o)"
    r"\s*:?\s*([^)]+)\)", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:\+|&|,|;|\band\b|\by\b|\bet\b|\be\b)\s*")
_LEADING_TIME = re.compile(
    r"^(\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[-–—~]|to)\s*"
    r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}[:h]\d{2}\s*(?:[ap]\.?m\.?)?)"
    r"\s*(?:[|:–—-]\s*)?(.+)$", re.IGNORECASE)
# A line that is only a time or a range ('09:00 – 10:00'): the session's title follows it.
_TIME_ONLY = re.compile(r"^\s*\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:(?:[-–—~]|to)\s*"
                        r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?\s*)?$", re.IGNORECASE)
# Sessions every meeting has: with a moderator in parentheses, they tell a run of short lines
# (a list, lines of a paragraph, or one-line paragraphs) for an agenda with no heading.
_SESSION_CUE = re.compile(
    r"^(registration|welcome|welcome coffee|coffee|coffee break|break|lunch|lunch break|dinner|"
    r"reception|opening|closing|wrap[- ]up|networking|introductions?|way forward|next steps|"
    r"inscripci[óo]n|bienvenida|almuerzo|pausa|caf[ée]|clausura|apertura|accueil|d[ée]jeuner|"
    r"cl[ôo]ture|credenciamento|abertura|encerramento|intervalo)\b", re.IGNORECASE)
_DAY_NUMBER = re.compile(r"^(?:day|d[íi]a|jour|journ[ée]e)\s*\d+\s*[-–—:,.]?\s*", re.IGNORECASE)

# Words in a "Where:" value that are a region code or postal noise, not a place.
_REGION_SUFFIX = re.compile(r"\s+[–—-]\s+[A-Z]{2,3}$")

# Country names as an event's "Where:" line may end with them (English, with the forms the
# site's Spanish, French and Portuguese pages may use). Matching is case-insensitive.
COUNTRIES = frozenset(c.strip().lower() for c in """
Afghanistan;Albania;Algeria;Andorra;Angola;Argentina;Armenia;Australia;Austria;Azerbaijan;
Bahamas;Bahrain;Bangladesh;Barbados;Belarus;Belgium;Belize;Benin;Bhutan;Bolivia;
Bosnia and Herzegovina;Botswana;Brazil;Brasil;Brunei;Bulgaria;Burkina Faso;Burundi;Cambodia;
Cameroon;Canada;Cape Verde;Chad;Chile;China;Colombia;Comoros;Congo;Costa Rica;Côte d'Ivoire;
Croatia;Cuba;Cyprus;Czech Republic;Czechia;Denmark;Djibouti;Dominica;Dominican Republic;
Ecuador;Egypt;El Salvador;Eritrea;Estonia;Eswatini;Ethiopia;Fiji;Finland;France;Gabon;Gambia;
Georgia;Germany;Ghana;Greece;Guatemala;Guinea;Guyana;Haiti;Honduras;Hong Kong;Hungary;Iceland;
India;Indonesia;Iran;Iraq;Ireland;Israel;Italy;Jamaica;Japan;Jordan;Kazakhstan;Kenya;Kosovo;
Kuwait;Kyrgyzstan;Laos;Latvia;Lebanon;Lesotho;Liberia;Libya;Liechtenstein;Lithuania;
Luxembourg;Madagascar;Malawi;Malaysia;Maldives;Mali;Malta;Mauritania;Mauritius;Mexico;México;
Moldova;Monaco;Mongolia;Montenegro;Morocco;Mozambique;Myanmar;Namibia;Nepal;Netherlands;
New Zealand;Nicaragua;Niger;Nigeria;North Korea;North Macedonia;Norway;Oman;Pakistan;
Palestine;Panama;Papua New Guinea;Paraguay;Peru;Perú;Philippines;Poland;Portugal;Qatar;
Romania;Russia;Russian Federation;Rwanda;Samoa;Saudi Arabia;Senegal;Serbia;Seychelles;
Sierra Leone;Singapore;Slovakia;Slovenia;Somalia;South Africa;South Korea;Korea;South Sudan;
Spain;España;Espagne;Sri Lanka;Sudan;Suriname;Sweden;Switzerland;Suisse;Suiza;Syria;Taiwan;
Tajikistan;Tanzania;Thailand;Timor-Leste;Togo;Tonga;Trinidad and Tobago;Tunisia;Turkey;
Türkiye;Turkmenistan;Uganda;Ukraine;United Arab Emirates;UAE;United Kingdom;UK;
United States;United States of America;USA;US;Uruguay;Uzbekistan;Vanuatu;Venezuela;Vietnam;
Viet Nam;Yemen;Zambia;Zimbabwe;Alemania;Allemagne;Alemanha;Brésil;Francia;França;Suíça;
Estados Unidos;États-Unis;Reino Unido;Royaume-Uni;Indonésie;Turquía;Turquie;Turquia
""".replace("\n", "").split(";") if c.strip())


@dataclass
class AgendaItem:
    position: int
    title: str
    day: str | None = None          # '2015-03-02' when a day heading gave it
    start_time: str | None = None   # 'HH:MM'
    end_time: str | None = None
    moderators: str | None = None   # '; '-separated


@dataclass
class ParsedEvent:
    title: str | None
    start: PartialDate | None
    end: PartialDate | None
    start_time: str | None = None
    end_time: str | None = None
    venue: str | None = None
    city: str | None = None
    country: str | None = None
    kind: str | None = None
    instance_id: str | None = None
    lang: str | None = None         # 'es' ...: address prefix, <html lang>, or the words
    agenda: list[AgendaItem] = field(default_factory=list)
    shortcode_event_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # 'no title', 'no date' ...

    def completeness(self) -> int:
        """How much the page gave: used to prefer one capture of an item over another."""
        return (sum(bool(v) for v in (self.title, self.start, self.end, self.start_time,
                                      self.venue, self.city, self.country, self.kind))
                + (2 if self.start and self.start.day else 0) + len(self.agenda))


def _as_document(html: str | bytes | Document) -> Document:
    if isinstance(html, Document):
        return html
    return read_document(decode_body(html))


def labelled_values(doc: Document) -> dict[str, str]:
    """'When:', 'Where:' and kin, whether the value follows on the line or in the next block."""
    found: dict[str, str] = {}
    blocks = [b for b in doc.blocks if b.kind in ("text", "heading")]
    for index, block in enumerate(blocks):
        lines = block.lines if block.kind == "text" else [block.text]
        for position, line in enumerate(lines):
            for key, pattern in _LABEL_LINE.items():
                match = pattern.match(line)
                if not match or key in found:
                    continue
                value = match.group(1).strip()
                if not value:
                    rest = lines[position + 1:]
                    if rest and not _ANY_LABEL.match(rest[0]):
                        value = ", ".join(_until_label(rest))
                    elif not rest and index + 1 < len(blocks):
                        following = blocks[index + 1]
                        value = ", ".join(_until_label(following.lines or [following.text]))
                if value:
                    found[key] = value
    return found


def _until_label(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if _ANY_LABEL.match(line):
            break
        out.append(line)
    return out


def split_location(text: str) -> tuple[str | None, str | None, str | None]:
    """'Grand Hyatt São Paulo, Av. ..., 13301, São Paulo – SP, Brazil' -> (venue, city, country).

    A country is named only when the last part is a known country name; parts with digits
    (street numbers, postal codes) are never a city.
    """
    parts = [p.strip(" .") for p in re.split(r"\s*[,\n]\s*", text) if p.strip(" .")]
    if not parts:
        return None, None, None
    country = None
    if parts[-1].lower() in COUNTRIES:
        country = parts.pop()
    places = [p for p in parts if not re.search(r"\d", p)]
    if not places:
        return (parts[0] if parts else None), None, country
    if len(places) == 1:
        # One name beside a country is the city ('Paris, France'); alone it is a venue.
        return (None, _REGION_SUFFIX.sub("", places[0]), country) if country else (
            places[0], None, None)
    venue, city = places[0], _REGION_SUFFIX.sub("", places[-1])
    return venue, city, country


def _moderators(title: str) -> tuple[str, str | None]:
    match = _MODERATION.search(title)
    if not match:
        return title, None
    names = [n.strip(" .") for n in _NAME_SPLIT.split(match.group(1)) if n.strip(" .")]
    cleaned = (title[:match.start()] + title[match.end():]).strip(" -–—:")
    return re.sub(r"\s{2,}", " ", cleaned), "; ".join(names) or None


def _day_of(text: str, year: int | None) -> str | None:
    """A day heading ('Sunday, 31 August', 'Day 1 – 19 October 2013') as an ISO day."""
    if len(text) > 80:
        return None
    text = _DAY_NUMBER.sub("", text)  # 'Day 1 – 19 October': the day number is not a date
    if not text:
        return None
    found = parse_date(text)
    if (found is None or found.day is None) and year and not re.search(r"\b(19|20)\d\d\b", text):
        found = parse_date(f"{text} {year}")
    return found.day.isoformat() if found and found.day else None


def _header_word(cell: str) -> bool:
    word = strip_cell_pipe(cell).strip(" :")
    return any(p.match(word) for p in (_TIME_HEADER, _END_HEADER, _TITLE_HEADER, _PEOPLE_HEADER,
                                       _OTHER_HEADER))


def is_header_row(cells: list[str]) -> bool:
    """'Time | Session', 'Hora | Sesión', 'Heure | Session |': every filled cell a header word."""
    filled = [c for c in (strip_cell_pipe(x) for x in cells) if c]
    return len(filled) >= 2 and all(_header_word(c) for c in filled)


def meta_place_and_date(line: str | None) -> tuple[DateRange | None, str | None, str | None,
                                                  str | None] | None:
    """'Monday, March 2, 2015 · Paris, France' -> (the day, venue, city, country).

    A plain post's meta line names the event's day and place when one of its segments is a
    place that ends with a known country; a meta line without a place ('2. February, 2015 |
    Events') dates the post, not the event, and gives None.
    """
    if not line or len(line) > 200:
        return None
    when = None
    place: tuple[str | None, str | None, str | None] | None = None
    for segment in (s.strip() for s in _META_SEPARATOR.split(line) if s.strip()):
        if when is None:
            found = parse_date_range(segment)
            if found and found.start.day:
                when = found
                continue
        if place is None and not re.search(r"\d", segment):
            venue, city, country = split_location(segment)
            if country:
                place = (venue, city, country)
    if place is None:
        return None
    return (when, *place)


def _table_agenda(block: Block, year: int | None, day: str | None) -> list[AgendaItem]:
    rows = [[strip_cell_pipe(c) for c in row] for row in block.rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    header = rows[0]

    def column(pattern: re.Pattern, *besides: int | None) -> int | None:
        return next((i for i, c in enumerate(header)
                     if i not in besides and pattern.match(c.strip(" :"))), None)

    time_col = column(_TIME_HEADER)
    end_col = column(_END_HEADER, time_col) if time_col is not None else None
    title_col = column(_TITLE_HEADER, time_col, end_col)
    people_col = column(_PEOPLE_HEADER, time_col, end_col)
    if time_col is not None or (title_col is not None and (
            people_col is not None or re.match(r"^(session|sesi[óo]n|sess[ãa]o|agenda)",
                                               header[title_col].strip(" :"), re.IGNORECASE))):
        # A header row names the columns: times (a start and perhaps an end), the session and
        # its people; a session table may have no times at all.
        body = rows[1:]
    else:
        # No header: an agenda still when most first cells are time ranges.
        timed = sum(1 for r in rows if r and parse_time_range(r[0]))
        if timed < max(2, len(rows) // 2):
            return []
        body, time_col, title_col, people_col = rows, 0, None, None
    if title_col is None:
        title_col = next((i for i in range(len(header))
                          if i not in (time_col, end_col, people_col)), None)
    items: list[AgendaItem] = []
    for row in body:
        cells = [c for c in row]
        filled = [c for c in cells if c]
        if is_header_row(cells):
            continue  # a header repeated inside the table, or the first row of a headless one
        if len(filled) == 1 and not parse_time_range(filled[0]):
            heading_day = _day_of(filled[0], year)
            if heading_day:
                day = heading_day
                continue
        times = (parse_time_range(cells[time_col])
                 if time_col is not None and time_col < len(cells) else None)
        if times and end_col is not None and end_col < len(cells):
            end = parse_time_range(cells[end_col])
            times = (times[0], end[0] if end else times[1])
        title = cells[title_col] if title_col is not None and title_col < len(cells) else ""
        if not title:
            continue
        title, moderators = _moderators(title)
        if people_col is not None and people_col < len(cells) and cells[people_col]:
            moderators = "; ".join(n for n in _NAME_SPLIT.split(cells[people_col]) if n)
        items.append(AgendaItem(0, title, day, times[0] if times else None,
                                times[1] if times else None, moderators))
    return items


def _session_line(text: str) -> bool:
    """A line that may be a session's title: short, not a sentence, not a shortcode
    ('[eventreports event=”134671″]') and not a label ('Where: ...')."""
    return (0 < len(text) <= 200 and not text.endswith((".", "!", "?", ":"))
            and not shortcodes(text) and not text.startswith("[") and not _ANY_LABEL.match(text))


def _is_cue(text: str) -> bool:
    return bool(_SESSION_CUE.match(text) or _MODERATION.search(text))


def _unheaded_sessions(doc: Document) -> list[AgendaItem]:
    """Sessions with no agenda heading and no times: a run of at least three short lines (the
    items of one list, or lines of paragraphs in a row) of which at least two are sessions
    every meeting has (registration, a break, lunch ...) or name a moderator in parentheses.
    A sentence, a heading, a table or a shortcode ends a run."""
    sessions: list[AgendaItem] = []
    run: list[str] = []

    def close() -> None:
        if len(run) >= 3 and sum(1 for t in run if _is_cue(t)) >= 2:
            for text in run:
                title, moderators = _moderators(text)
                sessions.append(AgendaItem(0, title, None, None, None, moderators))
        run.clear()

    for block in doc.blocks:
        if block.kind in ("heading", "table"):
            close()
            continue
        if block.kind == "list":
            close()
        for line in block.items if block.kind == "list" else block.lines:
            text = strip_cell_pipe(line)
            if _session_line(text):
                run.append(text)
            else:
                close()
        if block.kind == "list":
            close()
    close()
    return sessions


def parse_agenda(doc: Document, year: int | None = None) -> list[AgendaItem]:
    """Agenda items in page order: from agenda tables, 'HH:MM-HH:MM | Session' lines (or a time
    on its own line and the title on the next), and the list that follows an 'Agenda' heading;
    day headings in between set each item's day. A page with none of these may still list its
    sessions as short lines with no heading (`_unheaded_sessions`)."""
    items: list[AgendaItem] = []
    day: str | None = None
    after_agenda_heading = False
    pending: tuple[str | None, str | None] | None = None   # a time printed above its title
    for block in doc.blocks:
        if block.kind == "table":
            found = _table_agenda(block, year, day)
            items += found
            after_agenda_heading = after_agenda_heading and not found
            continue
        lines = block.items if block.kind == "list" else block.lines
        if block.kind == "heading":
            lines = [block.text]
        for line in lines:
            text = strip_cell_pipe(line)
            if re.match(r"^(time|hora|heure|hor[áa]rio)\s*\|", text, re.IGNORECASE) or (
                    "|" in text and is_header_row(text.split("|"))):
                after_agenda_heading = True
                continue
            if _TIME_ONLY.match(text) and parse_time_range(text):
                pending = parse_time_range(text)
                continue
            if pending and _session_line(text):
                title, moderators = _moderators(text)
                items.append(AgendaItem(0, title, day, pending[0], pending[1], moderators))
                pending = None
                continue
            pending = None
            timed = _LEADING_TIME.match(text)
            times = parse_time_range(timed.group(1)) if timed else None
            if timed and times and re.search(r"[^\W\d_]", timed.group(2)):
                title = re.split(r"\s*\|\s*", timed.group(2).strip(" |"))[0]
                title, moderators = _moderators(title)
                if title:
                    items.append(AgendaItem(0, title, day, times[0], times[1], moderators))
                continue
            if block.kind == "list" and after_agenda_heading:
                title, moderators = _moderators(text)
                items.append(AgendaItem(0, title, day, None, None, moderators))
                continue
            if len(text) <= 60 and (block.kind == "heading" or text.endswith(":")
                                    or len(lines) == 1):
                if _AGENDA_HEADING.match(text):
                    after_agenda_heading = True
                    continue
                heading_day = _day_of(text.rstrip(":"), year)
                if heading_day and (after_agenda_heading or items):
                    day = heading_day
                    continue
            if block.kind == "text" and after_agenda_heading:
                # Sessions as short paragraphs after an 'Agenda' heading; prose or a
                # shortcode ends them.
                if not _session_line(text):
                    after_agenda_heading = False
                    continue
                title, moderators = _moderators(text)
                items.append(AgendaItem(0, title, day, None, None, moderators))
                continue
            if block.kind == "heading" and items:
                after_agenda_heading = False
        if block.kind == "list" and after_agenda_heading:
            after_agenda_heading = False
    if not items:
        items = _unheaded_sessions(doc)
    for position, item in enumerate(items, start=1):
        item.position = position
    return items


def _meta_of(doc: Document):
    """The day and place of a plain post: its meta line, or one of the first short lines."""
    found = meta_place_and_date(doc.meta_line)
    if found:
        return found
    for block in doc.blocks[:8]:
        for line in block.lines[:2] if block.kind == "text" else []:
            # A meta line has its separators ('·', '|'); a line without them is prose.
            found = (meta_place_and_date(line) if len(line) <= 120 and _META_MARK.search(line)
                     else None)
            if found and found[0]:  # in the content, only a line with a day is a meta line
                return found
    return None


def parse_event(url: str, html: str | bytes | Document) -> ParsedEvent:
    """Everything an event page gives; what it lacks is listed in `problems`, never guessed."""
    doc = _as_document(html)
    labels = labelled_values(doc)
    title = page_title(doc)
    when = parse_date_range(labels.get("when")) if labels.get("when") else None
    if when is None:
        # A plain post: the first short line that is a date, near the top of the content.
        for block in doc.blocks[:12]:
            for line in (block.lines if block.kind in ("text", "heading") else [])[:3]:
                # The meta line ('2. February, 2015 | Events | ...') dates the post, not the event.
                if len(line) <= 80 and "|" not in line and line != doc.meta_line:
                    when = parse_date_range(line)
                    if when and when.start.day:
                        break
                    when = None
            if when:
                break
    meta = _meta_of(doc)
    if meta and meta[0] and (when is None or (not when.start.day and meta[0].start.day)):
        when = meta[0]
    start = when.start if when else None
    end = when.end if when else None
    if start and start.day and end is None:
        # One day printed, no range: a one-day event ends the day it starts.
        end = PartialDate(start.day, start.month, start.year)
    venue = city = country = None
    if labels.get("where"):
        venue, city, country = split_location(labels["where"])
    if meta and not (city or country):
        venue, city, country = venue or meta[1], meta[2], meta[3]
    kind = labels.get("categories")
    agenda = parse_agenda(doc, start.year if start else None)
    text = doc.text
    event = ParsedEvent(
        title=title, start=start, end=end,
        start_time=start.time if start else None, end_time=end.time if end else None,
        venue=venue, city=city, country=country,
        kind=kind.lower() if kind else None,
        instance_id=site_address(url).instance_id,
        lang=detect_language(f"{title or ''}\n{text[:1000]}", url, doc.lang),
        agenda=agenda,
        shortcode_event_ids=sorted({n for _kind, n in shortcodes(text)}),
    )
    if not title:
        event.problems.append("no title")
    if start is None:
        event.problems.append("no date" if published(doc) is None else
                              "no event date (only the post's own date)")
    return event

"""Read the dates and time ranges bestbits.net printed, in English, Spanish, French and Portuguese.

The site wrote dates many ways over seven years and three themes: the event calendar's
`October 19, 2013 @ 9:00 am – October 20, 2013 @ 5:00 pm`, the post meta line's
`12. December, 2017`, `Monday, March 2, 2015`, `3-4 March 2015`, `octubre 19, 2013`,
`19 de octubre de 2013`, `2 mars 2015`, `segunda-feira, 2 de março de 2015`, ISO `2015-03-02`.
A date keeps the precision the text
gives: a day only when the day is printed, else the month, else the year. No day is invented;
text that names no year gives nothing, because a year cannot be guessed from a month.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Accents are stripped before lookup, so 'março', 'février' and 'août' need no second spelling.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "ene", "janvier", "janv", "janeiro"),
    2: ("february", "feb", "febrero", "fevrier", "fev", "fevr", "fevereiro", "fevereiro"),
    3: ("march", "mar", "marzo", "mars", "marco"),
    4: ("april", "apr", "abril", "abr", "avril", "avr"),
    5: ("may", "mayo", "mai", "maio"),
    6: ("june", "jun", "junio", "juin", "junho"),
    7: ("july", "jul", "julio", "juillet", "juil", "julho"),
    8: ("august", "aug", "agosto", "ago", "aout"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "set", "septembre", "setembro"),
    10: ("october", "oct", "octubre", "octobre", "outubro", "out"),
    11: ("november", "nov", "noviembre", "novembre", "novembro"),
    12: ("december", "dec", "diciembre", "dic", "decembre", "dezembro", "dez"),
}
MONTHS: dict[str, int] = {word: n for n, words in _MONTH_WORDS.items() for word in words}

# Words that may stand around a date and carry nothing: weekdays and connectives.
_NOISE = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "segunda", "terca", "quarta", "quinta", "sexta", "feira",
    # Portuguese weekdays lose their hyphen when folded ('segunda-feira' -> 'segundafeira').
    "segundafeira", "tercafeira", "quartafeira", "quintafeira", "sextafeira", "as", "aos",
    "de", "del", "the", "of", "on", "le", "el", "em", "do", "da", "at", "from", "desde", "du",
    "y", "et", "e", "and", "allday", "all", "day",
}
# Words that end the first date of a range and start the second.
_RANGE_WORDS = {"to", "until", "till", "through", "thru", "al", "hasta", "au", "jusqu", "ate", "a"}
# 'Sept.' 'oct.' 'de marzo,' etc: punctuation is dropped before tokens are read.
_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2})(?:[t ]\d{2}:\d{2}(?::\d{2})?\S*)?"
    r"|(?P<time>\d{1,2}(?::\d{2}|h\d{2}|h(?![a-z]))\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?(?![a-z]))"
    r"|(?P<num>\d{1,4})(?:st|nd|rd|th|er|eme|o|a|º|ª)?(?![a-z\d])"
    r"|(?P<word>[a-z]+)"
    r"|(?P<sep>[-–—~]|\bto\b)"
)


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, or only to the month, or only to the year.

    `day` is set only when the source printed the day; `month` ('YYYY-MM') whenever the month
    is known; `year` whenever the year is. `time` ('HH:MM', local) when a time was printed.
    """

    day: date | None
    month: str | None
    year: int | None
    time: str | None = None

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        """'2014-04-22' -> a day; '2016-12' -> the month only; '' -> unknown. The strict form a
        curated file writes: anything else, or a day that does not exist, raises ValueError."""
        text = text.strip()
        if not text:
            return cls(None, None, None)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)  # raises on 2014-02-30
            return cls(day, text[:7], day.year)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} does not exist")
            return cls(None, text, year)
        raise ValueError("expected YYYY-MM-DD, or YYYY-MM when only the month is known")

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year" if self.year else "none"

    def iso(self) -> str | None:
        """The most precise form: '2013-10-19', '2013-10' or '2013'."""
        if self.day:
            return self.day.isoformat()
        return self.month or (str(self.year) if self.year else None)


@dataclass(frozen=True)
class DateRange:
    start: PartialDate
    end: PartialDate | None = None


def _fold(text: str) -> str:
    """Lower case without accents, typographic dashes made plain."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    # 'all-day' and 'mid-October' are words, not ranges.
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)


def parse_clock(text: str) -> str | None:
    """'9:00 am' -> '09:00'; '5pm' -> '17:00'; '17h30' -> '17:30'; anything else -> None."""
    match = re.fullmatch(
        r"\s*(\d{1,2})(?:[:h](\d{2})?)?\s*([ap])?\.?(?:m\.?)?\s*", _fold(text))
    if not match:
        return None
    hours, minutes, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half == "p" else 0)
    if hours > 23 or minutes > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def _tokens(text: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for match in _TOKEN.finditer(_fold(text)):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "iso":
            try:
                out.append(("iso", date.fromisoformat(value)))
            except ValueError:
                out.append(("bad", value))
        elif kind == "time":
            clock = parse_clock(value)
            out.append(("time", clock) if clock else ("bad", value))
        elif kind == "num":
            number = int(value)
            out.append(("year", number) if 1900 <= number <= 2099 else
                       ("num", number) if len(value) <= 2 else ("bad", value))
        elif kind == "word":
            if value in MONTHS:
                out.append(("month", MONTHS[value]))
            elif value in _RANGE_WORDS:
                out.append(("sep", value))
            elif value in _NOISE or value in {"h", "am", "pm", "m"}:
                continue
            else:
                out.append(("word", value))
        else:
            out.append(("sep", value))
    return out


@dataclass
class _Side:
    days: list[int]
    month: int | None = None
    year: int | None = None
    time: str | None = None
    iso: date | None = None

    def empty(self) -> bool:
        return not (self.days or self.month or self.year or self.iso or self.time)


def _read_side(tokens: list[tuple[str, object]]) -> _Side:
    side = _Side(days=[])
    for kind, value in tokens:
        if kind == "iso":
            side.iso = side.iso or value  # type: ignore[assignment]
        elif kind == "time":
            side.time = side.time or value  # type: ignore[assignment]
        elif kind == "num":
            side.days.append(value)  # type: ignore[arg-type]
        elif kind == "month" and side.month is None:
            side.month = value  # type: ignore[assignment]
        elif kind == "year" and side.year is None:
            side.year = value  # type: ignore[assignment]
    return side


def _to_partial(side: _Side) -> PartialDate | None:
    if side.iso:
        d = side.iso
        return PartialDate(d, f"{d.year:04d}-{d.month:02d}", d.year, side.time)
    if side.year is None:
        return None
    if side.month is None:
        # A bare number beside a year is not a month name: keep the year only.
        return PartialDate(None, None, side.year, side.time)
    month = f"{side.year:04d}-{side.month:02d}"
    if side.days:
        try:
            return PartialDate(date(side.year, side.month, side.days[0]), month, side.year,
                               side.time)
        except ValueError:
            return None
    return PartialDate(None, month, side.year, side.time)


def parse_date_range(text: str | None) -> DateRange | None:
    """The date or date range a short text gives, or None when it gives no year.

    `3-4 March 2015` -> 2015-03-03 .. 2015-03-04; `October 19-20, 2013` likewise; a side
    that lacks its month or year borrows it from the other side, never a day.
    """
    if not text or len(text) > 400:
        return None
    tokens = _tokens(text)
    if not any(k in ("month", "iso", "year") for k, _ in tokens):
        return None
    if sum(1 for k, _ in tokens if k == "word") > 6:
        return None  # a sentence, not a date
    # Split at the first separator that has date material on both sides.
    left_tokens, right_tokens = tokens, []
    for i, (kind, _) in enumerate(tokens):
        if kind == "sep":
            before, after = tokens[:i], tokens[i + 1:]
            if _has_date(before) and _has_date(after):
                left_tokens, right_tokens = before, [t for t in after if t[0] != "sep"]
                break
    left, right = _read_side(left_tokens), _read_side(right_tokens)
    if len(left.days) > 1 and left.month and right.empty():
        # '3, 4 March 2015' has no dash but is still two days.
        right = _Side(days=left.days[1:])
    if not right.empty() and not right.iso:
        # 'October 19-20, 2013': the end borrows the month; '3-4 March 2015': the start
        # borrows month and year; a lone end time belongs to the start's day.
        if right.month is None and (right.days or right.time):
            right.month = left.month
        if right.year is None:
            right.year = left.year if left.year else None
        if left.year is None:
            left.year = right.year
        if left.month is None and not left.iso:
            left.month = right.month
        if not right.days and right.time and left.days:
            right.days = left.days[:1]
    if right.iso and not left.iso and left.year is None:
        left.year = right.iso.year
        left.month = left.month or right.iso.month
    start = _to_partial(left)
    if start is None:
        return None
    end = _to_partial(right) if not right.empty() else None
    if end and end.day and start.day and end.day < start.day:
        # 'December 30 - January 2, 2014' printed the year once; the start is the year before.
        if start.day.month > end.day.month and start.year == end.year:
            earlier = date(start.day.year - 1, start.day.month, start.day.day)
            start = PartialDate(earlier, earlier.strftime("%Y-%m"), earlier.year, start.time)
        else:
            end = None
    return DateRange(start, end)


def _has_date(tokens: list[tuple[str, object]]) -> bool:
    return any(k in ("num", "month", "year", "iso", "time") for k, _ in tokens)


def parse_date(text: str | None) -> PartialDate | None:
    """The first (or only) date a short text gives; see `parse_date_range`."""
    found = parse_date_range(text)
    return found.start if found else None


_TIME_RANGE = re.compile(
    r"(?P<a>\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?)\s*(?:[-–—~]|to|a|à|al|ate)\s*"
    r"(?P<b>\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?m\.?)?)",
    re.IGNORECASE,
)


def parse_time_range(text: str | None) -> tuple[str | None, str | None] | None:
    """'09:00-12:00' -> ('09:00', '12:00'); '9:00 am' -> ('09:00', None); else None.

    An am/pm printed once at the end ('9:30 - 11 am') applies to the start too when that keeps
    the start before the end.
    """
    if not text:
        return None
    folded = _fold(text).strip()
    match = _TIME_RANGE.match(folded)
    if match and (":" in match.group(0) or "." in match.group(0) or "h" in match.group(0)
                  or "m" in match.group(0)):
        a, b = match.group("a").replace(".", ":", 1), match.group("b").replace(".", ":", 1)
        if a.count(":") > 1 or b.count(":") > 1:
            return None
        end = parse_clock(b)
        start = parse_clock(a)
        half = re.search(r"([ap])\.?m", b)
        if start and end and half and not re.search(r"[ap]\.?m", a):
            shifted = parse_clock(a + " " + half.group(1) + "m")
            if shifted and shifted <= end:
                start = shifted
        if start and end:
            return start, end
        return None
    single = re.match(r"\d{1,2}(?:[:h]\d{2}|\s*[ap]\.?m\.?)", folded)
    if single:
        clock = parse_clock(single.group(0))
        return (clock, None) if clock else None
    return None

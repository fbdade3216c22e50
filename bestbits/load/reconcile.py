"""Reconcile a parsed item with its curated row, field by field, and score the matches that no
address or title ties: one module for events and statements alike.

The rule "curated wins" is for conflicts, not for precision or completeness. For each field:

- same: the two agree (a coarser parsed value that agrees counts as the same);
- fill: the curated record is silent and the page speaks: the page's value is kept;
- refine: the page is more precise and agrees (a day inside the curated month, a time where
  the curated session has none): the page's value is kept;
- conflict: they disagree: the curated value is kept and the disagreement listed.

Fills and refinements go to `reconcile_changes` with both values and both sources; conflicts to
`parsed_vs_curated`, as before. Everything here is a plain function of its input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

SAME, FILL, REFINE, CONFLICT = "same", "fill", "refine", "conflict"

# Scores of a match by day, place and forum (0..1). A page about the same day in the same city
# under the same forum is the same meeting (0.4 + 0.25 + 0.25 = 0.9); the same day and city
# alone (0.65) is only a resemblance: two side meetings were often held in one city on one day.
DAY_WEIGHT = 0.4          # the parsed day falls on the curated days
CITY_WEIGHT = 0.25        # same city (or 0.1 when only the country is known and the same)
COUNTRY_WEIGHT = 0.1
FORUM_WEIGHT = 0.25       # both name the same forum; two different forums rule a match out
TITLE_WEIGHT = 0.1        # share of title words in common
MERGE_AT = 0.85           # merge above this ...
LIST_AT = 0.6             # ... list between this and MERGE_AT; below, no match
LEAD = 0.1                # the best candidate must lead the next by this much to be merged


def normalise(text: str | None) -> str:
    """Lower case, no accents, words only: what two spellings of one title share."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w+]+", " ", text).split())


_STOP = frozenset("a an the of on and for to in at with by de la el los las le les des du et y "
                  "e da do dos das em para por sur en".split())


def title_words(text: str | None) -> set[str]:
    return {w for w in normalise(text).split() if w not in _STOP and len(w) > 1}


def similarity(a: str | None, b: str | None) -> float:
    """Share of content words in common (Jaccard), 1.0 for equal normalised titles."""
    if normalise(a) and normalise(a) == normalise(b):
        return 1.0
    wa, wb = title_words(a), title_words(b)
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


# -- one field -----------------------------------------------------------------------------

def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def compare_text(curated: object, parsed: object) -> str:
    """same | fill | conflict for free text (titles, places, kinds): spelling is not a conflict."""
    if _empty(parsed):
        return SAME
    if _empty(curated):
        return FILL
    return SAME if normalise(str(curated)) == normalise(str(parsed)) else CONFLICT


def compare_date(curated: str | None, parsed: str | None) -> str:
    """same | fill | refine | conflict for ISO dates of any precision ('2014', '2014-09',
    '2014-09-05'): a parsed day inside the curated month refines it; a coarser parsed value
    that agrees is the same; anything else that differs is a conflict."""
    if _empty(parsed):
        return SAME
    if _empty(curated):
        return FILL
    if curated == parsed or curated.startswith(parsed + "-"):
        return SAME
    if parsed.startswith(curated + "-"):
        return REFINE
    return CONFLICT


def compare_count(curated: str | None, parsed: str | None) -> str:
    """Counts as pages state them ('45', '>90'): text, compared as written."""
    if _empty(parsed):
        return SAME
    if _empty(curated):
        return FILL
    return SAME if str(curated).strip() == str(parsed).strip() else CONFLICT


COMPARE = {"text": compare_text, "date": compare_date, "count": compare_count}


@dataclass(frozen=True)
class FieldChange:
    """What reconciling one field decided, with both values."""

    field: str
    change: str                 # fill | refine | conflict
    curated_value: str | None
    parsed_value: str | None


def _as_text(value: object) -> str | None:
    if _empty(value):
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def reconcile_fields(pairs: Mapping[str, tuple[str, object, object]]) -> list[FieldChange]:
    """Every field that is not the same, as a fill, a refinement or a conflict.

    `pairs` maps a field name to (kind, curated value, parsed value), kind one of COMPARE.
    """
    changes = []
    for name, (kind, curated, parsed) in pairs.items():
        curated_text, parsed_text = _as_text(curated), _as_text(parsed)
        decision = COMPARE[kind](curated_text, parsed_text)
        if decision != SAME:
            changes.append(FieldChange(name, decision, curated_text, parsed_text))
    return changes


def kept(changes: Iterable[FieldChange]) -> dict[str, str]:
    """The parsed values that replace the curated ones: fills and refinements."""
    return {c.field: c.parsed_value for c in changes if c.change in (FILL, REFINE)}


# -- agendas -------------------------------------------------------------------------------

@dataclass
class Session:
    """One agenda item, curated or parsed, in the shape both share."""

    title: str
    day: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    moderators: str | None = None
    curated: bool = False
    source_url: str | None = None    # a curated session keeps its own source


@dataclass
class AgendaResult:
    sessions: list[Session]          # the agenda to store, in order
    changes: list[FieldChange] = field(default_factory=list)
    replaced: bool = False           # True when `sessions` differs from the curated agenda


def same_session(a: str, b: str) -> bool:
    """Two titles of one session: equal words, one inside the other, or most words shared."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return False
    if na == nb or (min(len(na), len(nb)) >= 5 and (na in nb or nb in na)):
        return True
    return similarity(a, b) >= 0.6


def reconcile_agenda(curated: list[Session], parsed: list[Session]) -> AgendaResult:
    """The curated agenda made more precise by the parsed one, never contradicted.

    Each curated session is paired with the first unpaired parsed session of the same title.
    A paired session keeps its curated values and takes the parsed times (and day) where it
    has none (refine). When every curated session is paired, the parsed sessions beside them
    are added in page order (refine: the page's agenda includes the curated one and adds
    more). When some curated session is not on the page, the page tells another version of
    the agenda: nothing is added, and the counts go to the conflicts.
    """
    if not parsed:
        return AgendaResult(list(curated))
    if not curated:
        changes = [FieldChange(f"agenda item {i}", FILL, None, _describe(s))
                   for i, s in enumerate(parsed, start=1)]
        return AgendaResult(list(parsed), changes, replaced=True)
    pairs: dict[int, int] = {}       # curated index -> parsed index
    free = list(range(len(parsed)))
    for ci, session in enumerate(curated):
        pi = next((p for p in free if same_session(session.title, parsed[p].title)), None)
        if pi is not None:
            pairs[ci] = pi
            free.remove(pi)
    # Per curated session: (field, change, curated value, parsed value), named by the
    # session's final position once the order is known.
    found: dict[int, list[tuple[str, str, str | None, str | None]]] = {}
    merged: dict[int, Session] = {}
    for ci, pi in pairs.items():
        session, page = curated[ci], parsed[pi]
        refined = Session(session.title, session.day, session.start_time, session.end_time,
                          session.moderators, True, session.source_url)
        notes = found.setdefault(ci, [])
        for name in ("start_time", "end_time", "moderators"):
            mine, theirs = getattr(session, name), getattr(page, name)
            decision = (compare_date if name != "moderators" else compare_text)(mine, theirs)
            if decision in (FILL, REFINE):
                setattr(refined, name, theirs)
                notes.append((name, REFINE, mine, theirs))
            elif decision == CONFLICT:
                notes.append((name, CONFLICT, mine, theirs))
        if page.day and not session.day:
            refined.day = page.day
            notes.append(("day", FILL, None, page.day))
        merged[ci] = refined

    def named(position_of: dict[int, int]) -> list[FieldChange]:
        return [FieldChange(f"agenda item {position_of[ci]} {name}", change, mine, theirs)
                for ci, notes in sorted(found.items()) for name, change, mine, theirs in notes]

    if len(pairs) < len(curated):
        changes = named({ci: ci + 1 for ci in found})
        refines = any(c.change != CONFLICT for c in changes)
        changes.append(FieldChange("agenda_items", CONFLICT, f"{len(curated)} sessions",
                                   f"{len(parsed)} sessions, {len(pairs)} of them curated"))
        sessions = [merged.get(i, s) for i, s in enumerate(curated)]
        return AgendaResult(sessions, changes, replaced=refines)
    curated_of = {pi: ci for ci, pi in pairs.items()}
    sessions, added, position_of = [], [], {}
    for pi, page in enumerate(parsed):
        if pi in curated_of:
            sessions.append(merged[curated_of[pi]])
            position_of[curated_of[pi]] = len(sessions)
        else:
            sessions.append(page)
            added.append(FieldChange(f"agenda item {len(sessions)}", REFINE, None,
                                     _describe(page)))
    changes = named(position_of) + added
    return AgendaResult(sessions, changes, replaced=any(c.change != CONFLICT for c in changes))


def _describe(session: Session) -> str:
    times = "-".join(t for t in (session.start_time, session.end_time) if t)
    return f"{times} {session.title}".strip()


# -- matching by day, place and forum -------------------------------------------------------

@dataclass(frozen=True)
class Facts:
    """What a match by score compares: for a parsed item or a curated row."""

    title: str | None
    first_day: date | None
    last_day: date | None = None
    month: str | None = None
    city: str | None = None
    country: str | None = None
    forum: str | None = None


@dataclass(frozen=True)
class Scored:
    candidate_id: str
    score: float
    evidence: str


def match_score(parsed: Facts, curated: Facts) -> tuple[float, str]:
    """How much a parsed item and a curated row agree on day, place, forum and title (0..1),
    with the reasons in words. No shared day, or two different forums: 0."""
    if parsed.first_day is None or curated.first_day is None:
        return 0.0, "no day to compare"
    last = curated.last_day or curated.first_day
    if not curated.first_day <= parsed.first_day <= last:
        return 0.0, "different days"
    if parsed.forum and curated.forum and parsed.forum != curated.forum and \
            "other" not in (parsed.forum, curated.forum):
        return 0.0, f"different forums ({parsed.forum}, {curated.forum})"
    score, reasons = DAY_WEIGHT, ["same day"]
    if parsed.city and curated.city and normalise(parsed.city) == normalise(curated.city):
        score += CITY_WEIGHT
        reasons.append("same city")
    elif parsed.city and curated.city:
        return 0.0, f"different cities ({parsed.city}, {curated.city})"
    elif parsed.country and curated.country and \
            normalise(parsed.country) == normalise(curated.country):
        score += COUNTRY_WEIGHT
        reasons.append("same country")
    else:
        reasons.append("place unknown")
    if parsed.forum and parsed.forum == curated.forum:
        score += FORUM_WEIGHT
        reasons.append(f"same forum ({parsed.forum})")
    else:
        reasons.append("forum unknown")
    shared = similarity(parsed.title, curated.title)
    score += TITLE_WEIGHT * shared
    reasons.append(f"title words shared {shared:.0%}")
    return round(min(score, 1.0), 3), "; ".join(reasons)


@dataclass
class MatchDecision:
    merge_with: str | None = None                     # the curated id to merge into
    listed: list[Scored] = field(default_factory=list)  # too close to call: list, don't merge
    scored: list[Scored] = field(default_factory=list)  # every candidate above LIST_AT


def decide(parsed: Facts, candidates: Mapping[str, Facts]) -> MatchDecision:
    """Merge into the best candidate when it scores MERGE_AT or more and leads the next by
    LEAD; list every candidate between LIST_AT and that; ignore the rest."""
    scored = sorted((Scored(cid, *match_score(parsed, facts)) for cid, facts in
                     candidates.items()), key=lambda s: -s.score)
    scored = [s for s in scored if s.score >= LIST_AT]
    decision = MatchDecision(scored=scored)
    if not scored:
        return decision
    best = scored[0]
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    if best.score >= MERGE_AT and best.score - runner_up >= LEAD:
        decision.merge_with = best.candidate_id
    else:
        decision.listed = scored
    return decision


__all__ = ["AgendaResult", "FieldChange", "Facts", "MatchDecision", "Scored", "Session",
           "compare_date", "compare_text", "decide", "kept", "match_score", "normalise",
           "reconcile_agenda", "reconcile_fields", "same_session", "similarity"]

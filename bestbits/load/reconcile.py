"""Reconcile a parsed item with its curated row, field by field, and score the matches that no
address or title ties: one module for events and statements alike.

The rule "curated wins" is for conflicts, not for precision or completeness. For each field:

- same: the two agree (a coarser parsed value that agrees counts as the same);
- fill: the curated record is silent and the page speaks: the page's value is kept;
- refine: the page is more precise and agrees (a day inside the curated month, a time where
  the curated session has none): the page's value is kept;
- conflict: they disagree: the curated value is kept and the disagreement listed.

Fills and refinements go to `reconcile_changes` with both values and both sources; conflicts to
`parsed_vs_curated`, as before. Signatories are merged the same way: one row per signatory per
statement, whichever sources list it, each source named (`merge_signatories`). Everything here
is a plain function of its input.
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


# -- signatories ---------------------------------------------------------------------------

# The sources a signatory can be listed by, in the order their values are preferred: the
# curated list (statement_signatories.csv: the name as printed, its kind and country), the
# curated notable signatories (statements.csv), an archived page the parser read.
CURATED_LIST, CURATED_NOTABLE, PARSED_PAGE = "curated list", "curated notable", "parsed page"
_LISTED_ORDER = (CURATED_LIST, CURATED_NOTABLE, PARSED_PAGE)


@dataclass
class ListedSignatory:
    """One source's listing of one signatory of a statement."""

    statement_id: str
    name: str
    listed_by: str                      # CURATED_LIST | CURATED_NOTABLE | PARSED_PAGE
    source_url: str
    position: int | None = None         # its place in that source's list
    kind: str | None = None             # organisation | individual, when the source says
    kind_basis: str | None = None       # what told the kind (the list, a section, the words ...)
    organisation: str | None = None
    country: str | None = None
    archived_url: str | None = None


def _name_form(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\s*&\s*", " and ", text)
    words = re.sub(r"[^\w]+", " ", text).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def _initials(name: str) -> str:
    """'Center for Democracy & Technology' -> 'cdt': the first letters of the capitalised
    words, small words such as 'For' aside."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]*", name)
                   if w.lower() not in _STOP).lower()


def _name_forms(name: str) -> tuple[str, str, str | None]:
    """The whole name, the name without what follows in parentheses ('Access (Brett
    Solomon)' -> 'access'), and the acronym in parentheses ('... (EFF)' -> 'eff')."""
    whole = _name_form(name)
    base = _name_form(re.sub(r"\s*\(.*$", "", name)) or whole
    inner = re.search(r"\(([^()]+)\)\s*$", name)
    acronym = (_name_form(inner.group(1)) if inner and re.fullmatch(
        r"[A-Z][A-Z0-9/.&-]+", inner.group(1).strip()) else None)
    return whole, base, acronym


def same_signatory(a: str, b: str) -> bool:
    """Two listings of one signatory: the same words (case, accents, '&' and 'and', a leading
    'The' aside); or one is the other with a person or place in parentheses ('Access (Brett
    Solomon)', 'OpenMedia (Canada)'); or one is the acronym the other gives in parentheses
    or spells with its capitals ('EFF', 'Electronic Frontier Foundation (EFF)', 'CDT',
    'Center for Democracy & Technology')."""
    whole_a, base_a, acronym_a = _name_forms(a)
    whole_b, base_b, acronym_b = _name_forms(b)
    if not whole_a or not whole_b:
        return False
    # 'OpenMedia (Canada)' and 'OpenMedia (International)' are two listings, not one.
    if whole_a == whole_b or base_a == whole_b or base_b == whole_a:
        return True
    if (acronym_a and acronym_a in (whole_b, base_b)) or (acronym_b and acronym_b in (
            whole_a, base_a)):
        return True
    for short, long in ((a, b), (b, a)):
        letters = re.sub(r"[^A-Za-z]", "", short)
        if re.fullmatch(r"[A-Z]{3,}", short.strip()) and letters.lower() == _initials(
                re.sub(r"\s*\(.*$", "", long)):
            return True
    return False


def merge_signatories(listings: Iterable[ListedSignatory]) -> list[dict]:
    """One row per signatory per statement (table `signatories`), in the order of first
    listing: a listing joins the first earlier row of its statement that names the same
    signatory (same_signatory), adding its source to `listed_by` and `other_source_urls` and
    filling the kind, organisation and country that row lacks. A notable name that matches
    several rows (a statement listing 'OpenMedia (Canada)' and 'OpenMedia (International)')
    joins each of them rather than counting once more. The first listing's name, source,
    position and method stay."""
    rows: list[dict] = []
    by_statement: dict[str, list[dict]] = {}
    ordered = sorted(enumerate(listings), key=lambda pair: (
        _LISTED_ORDER.index(pair[1].listed_by), pair[0]))
    for _index, listing in ordered:
        same = [r for r in by_statement.get(listing.statement_id, [])
                if same_signatory(r["name"], listing.name)]
        if listing.listed_by != CURATED_NOTABLE:
            same = same[:1]
        for row in same:
            _join(row, listing)
        if same:
            continue
        row = {"statement_id": listing.statement_id, "name": listing.name,
               "organisation": listing.organisation, "country": listing.country,
               "kind": listing.kind,
               "kind_basis": listing.kind_basis or (listing.listed_by if listing.kind else None),
               "position": listing.position, "listed_by": listing.listed_by,
               "other_source_urls": None, "source_url": listing.source_url,
               "archived_url": listing.archived_url,
               "method": "parsed" if listing.listed_by == PARSED_PAGE else "curated"}
        rows.append(row)
        by_statement.setdefault(listing.statement_id, []).append(row)
    return rows


def _join(row: dict, listing: ListedSignatory) -> None:
    listed = row["listed_by"].split("; ")
    if listing.listed_by not in listed:
        row["listed_by"] = "; ".join(sorted(listed + [listing.listed_by],
                                            key=_LISTED_ORDER.index))
    others = [u for u in (row["other_source_urls"] or "").split("; ") if u]
    if listing.source_url != row["source_url"] and listing.source_url not in others:
        row["other_source_urls"] = "; ".join(others + [listing.source_url])
    if not row["kind"] and listing.kind:
        row["kind"] = listing.kind
        row["kind_basis"] = listing.kind_basis or listing.listed_by
    for name in ("organisation", "country"):
        row[name] = row[name] or getattr(listing, name)


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


__all__ = ["CURATED_LIST", "CURATED_NOTABLE", "PARSED_PAGE", "AgendaResult", "FieldChange",
           "Facts", "ListedSignatory", "MatchDecision", "Scored", "Session", "compare_date",
           "compare_text", "decide", "kept", "match_score", "merge_signatories", "normalise",
           "reconcile_agenda", "reconcile_fields", "same_session", "same_signatory",
           "similarity"]

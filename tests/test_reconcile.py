"""Reconciling a parsed page with its curated row (bestbits/load/reconcile.py): fills,
refinements and conflicts field by field, agendas, and matches by day, place and forum.

Plain functions: every case is a few values, no database.
"""

from __future__ import annotations

from datetime import date

from bestbits.load import reconcile
from bestbits.load.reconcile import Facts, Session, decide, match_score, reconcile_agenda


def changes(**pairs):
    return {c.field: (c.change, c.curated_value, c.parsed_value)
            for c in reconcile.reconcile_fields(pairs)}


def test_a_day_inside_the_curated_month_refines_it():
    assert changes(date=("date", "2014-09", "2014-09-05")) == {
        "date": ("refine", "2014-09", "2014-09-05")}


def test_a_coarser_parsed_date_that_agrees_is_no_change():
    assert changes(date=("date", "2014-09-05", "2014-09"), start=("date", "2014", "2014")) == {}


def test_a_date_outside_the_curated_month_is_a_conflict_and_curated_stays():
    found = reconcile.reconcile_fields({"date": ("date", "2014-09", "2014-10-01")})
    assert [(c.change, c.curated_value) for c in found] == [("conflict", "2014-09")]
    assert reconcile.kept(found) == {}


def test_an_empty_curated_field_is_filled_and_spelling_is_no_conflict():
    found = changes(city=("text", None, "Paris"), title=("text", "Best Bits 2013",
                                                          "best bits  2013"),
                    count=("count", "", "45"))
    assert found == {"city": ("fill", None, "Paris"), "count": ("fill", None, "45")}


def test_parsed_sessions_give_times_to_the_curated_ones_and_add_more():
    curated = [Session("Opening", curated=True, source_url="curated-src"),
               Session("Principles of internet governance", curated=True),
               Session("Next steps", curated=True)]
    parsed = [Session("Registration", None, "08:30", "09:00"),
              Session("Opening", None, "09:00", "09:30"),
              Session("Principles of Internet Governance", None, "09:30", "12:00"),
              Session("Lunch", None, "12:00", "13:00"),
              Session("Next steps (moderation: Eve Example)", None, "13:00", "14:00")]
    result = reconcile_agenda(curated, parsed)
    assert result.replaced
    assert [(s.title, s.start_time, s.curated) for s in result.sessions] == [
        ("Registration", "08:30", False), ("Opening", "09:00", True),
        ("Principles of internet governance", "09:30", True), ("Lunch", "12:00", False),
        ("Next steps", "13:00", True)]
    assert result.sessions[1].source_url == "curated-src"   # a curated session keeps its source
    kinds = {(c.field, c.change) for c in result.changes}
    assert ("agenda item 2 start_time", "refine") in kinds   # named by its new position
    assert ("agenda item 1", "refine") in kinds              # the session added before it
    assert {c.change for c in result.changes} == {"refine"}


def test_an_agenda_that_leaves_out_curated_sessions_adds_nothing_and_is_listed():
    curated = [Session("Opening", curated=True), Session("Closing", curated=True)]
    result = reconcile_agenda(curated, [Session("Something else", None, "09:00", "10:00")])
    assert [s.title for s in result.sessions] == ["Opening", "Closing"]
    assert not result.replaced
    assert [c.change for c in result.changes] == ["conflict"]


def test_a_curated_time_is_never_overwritten():
    result = reconcile_agenda([Session("Lunch", None, "12:00", "13:00", curated=True)],
                              [Session("Lunch", None, "12:30", "13:30")])
    assert result.sessions[0].start_time == "12:00"
    assert {c.change for c in result.changes} == {"conflict"}


WSIS_DAY = Facts("WSIS+10 Overall Review: cross-community dialogue", date(2015, 3, 2),
                 date(2015, 3, 2), "2015-03", "Paris", "France", "WSIS+10")
UNESCO = Facts("UNESCO CONNECTing the Dots", date(2015, 3, 3), date(2015, 3, 4), "2015-03",
               "Paris", "France", "UNESCO")


def test_same_day_city_and_forum_is_merged():
    post = Facts("WSIS+10 review: civil society coordination", date(2015, 3, 2), city="Paris",
                 country="France", forum="WSIS+10")
    score, evidence = match_score(post, WSIS_DAY)
    assert score >= reconcile.MERGE_AT and "same forum" in evidence
    decision = decide(post, {"wsis": WSIS_DAY, "unesco": UNESCO})
    assert decision.merge_with == "wsis" and not decision.listed


def test_same_day_and_city_without_a_forum_is_listed_not_merged():
    post = Facts("Example side meeting", date(2015, 3, 2), city="Paris", country="France")
    decision = decide(post, {"wsis": WSIS_DAY, "unesco": UNESCO})
    assert decision.merge_with is None
    assert [s.candidate_id for s in decision.listed] == ["wsis"]


def test_another_day_city_or_forum_is_no_match():
    assert match_score(Facts("x", date(2015, 3, 5), city="Paris"), WSIS_DAY)[0] == 0
    assert match_score(Facts("x", date(2015, 3, 2), city="Geneva"), WSIS_DAY)[0] == 0
    assert match_score(Facts("x", date(2015, 3, 2), city="Paris", forum="IGF"), WSIS_DAY)[0] == 0
    assert decide(Facts("x", None), {"wsis": WSIS_DAY}).scored == []


def test_two_candidates_too_close_are_both_listed():
    twin = Facts("WSIS+10 other meeting", date(2015, 3, 2), None, None, "Paris", "France",
                 "WSIS+10")
    post = Facts("WSIS+10 meeting", date(2015, 3, 2), city="Paris", forum="WSIS+10")
    decision = decide(post, {"a": WSIS_DAY, "b": twin})
    assert decision.merge_with is None and len(decision.listed) == 2


def test_the_sources_page_lists_fills_refinements_and_ambiguous_matches(tmp_path):
    """The fixture captures stored and built (no server), then the Sources page's section."""
    from bestbits import query
    from bestbits.load.build import build
    from dashboards.data import DashboardData
    from dashboards.live.html import block_html
    from dashboards.pages import sources
    from support.site_pages import store_captures

    store_captures(tmp_path)
    build(tmp_path, tmp_path / "x.duckdb", progress=lambda _m: None)
    data = DashboardData(tmp_path / "x.duckdb")
    try:
        ctx = sources.PAGE.context(data, {})
        section = "".join(block_html(b) for b in sources.reconcile(ctx))
        assert "refinements" in section and "2014-09-05" in section
        assert "Example side meeting on the review process" in section   # the listed match
        merged = query.run(data.con, "match_ambiguities", {"include_merged": "true"})
        assert set(merged["outcome"]) == {"listed", "merged"}
        kinds = query.run(data.con, "statement_endorser_kinds",
                          {"statement_id": "igf-statement-2014"})
        assert kinds[["stated_count", "organisations", "individuals"]].values.tolist() == [
            ["6", 4, 2]]
        # A curated row no capture speaks for gets its language from its words.
        assert data.con.execute("SELECT lang FROM statements WHERE statement_id = "
                                "'hrc-surveillance-2013'").fetchone() == ("en",)
        assert data.con.execute("SELECT lang FROM statements WHERE title = "
                                "'Declaración de ejemplo sobre derechos'").fetchone() == ("es",)
    finally:
        data.con.close()

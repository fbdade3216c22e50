"""The pages, in the order the navigation shows them: the one list of pages both faces read.

Each page is defined once, in the module named here (its `PAGE`, a dashboards.page.Page); the live
face and the edition draw it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboards.page import Page


@dataclass(frozen=True)
class PageEntry:
    id: str              # the address's ?page= and the module under dashboards/pages/
    title: str           # in the navigation
    edition_file: str    # the page's file in the static edition
    summary: str         # what it shows, in a line (the edition's README)


PAGES = (
    PageEntry("overview", "Overview", "index.html",
              "activity by year and forum, the timeline of the network's events over the forums' "
              "own meetings, and its milestones"),
    PageEntry("events", "Events", "events.html",
              "every event, where the meetings took place, and a page per event with its agenda "
              "and sources"),
    PageEntry("statements", "Statements", "statements.html",
              "every statement, and a page per statement with its text (sanitised), signatories "
              "and sources"),
    PageEntry("participation", "Participation", "participation.html",
              "the mailing list: messages, posters, organisations, forums and themes over time "
              "(the curated sample only, until the list is collected)"),
    PageEntry("networks", "Networks", "networks.html",
              "who signed with whom and who answered whom on the list, for a year or before and "
              "from NETmundial, with degree, betweenness and communities"),
    PageEntry("sources", "Sources & coverage", "sources.html",
              "where each table's rows come from, what is missing, what the build left out"),
)
PAGE_IDS = tuple(p.id for p in PAGES)
TITLES = {p.id: p.title for p in PAGES}


def definition(page_id: str) -> Page:
    """The page's definition (imported on first use)."""
    if page_id not in TITLES:
        raise KeyError(page_id)
    return importlib.import_module(f"dashboards.pages.{page_id}").PAGE

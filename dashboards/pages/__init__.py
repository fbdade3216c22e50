"""The dashboard pages beyond the overview, by the name used in the URL (?page=...)."""

from __future__ import annotations

PAGES: dict[str, type] = {}


def _register() -> None:
    from dashboards.pages import events, participation, sources, statements

    PAGES.update({
        "events": events.EventsPage,
        "statements": statements.StatementsPage,
        "participation": participation.ParticipationPage,
        "sources": sources.SourcesPage,
    })


_register()

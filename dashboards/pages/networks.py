"""The Networks page: who signed with whom (the co-signatory network) and who answered whom on
the list (people and organisations), for a period, drawn from bestbits/networks.py.

Clicking a signatory lists the statements it signed, and clicking the middle of a tie the
statements both signed, each with its archived source. The edition draws every period (one shown
at a time) and the tables of nodes and ties, which say what a click would.
"""

from __future__ import annotations

import html
from functools import lru_cache

from bestbits import config, networks
from bestbits.wording import counted
from dashboards.network_figures import EDGE_META, NODE_META, network_figure
from dashboards.page import Context, ControlSpec, Page, Point, Section
from dashboards.page_view import Heading, Notice, Prose
from dashboards.pages.common import FIRST_YEAR, LAST_YEAR, chart, evidence, table

EVIDENCE_HINT = ("Click a signatory to list the statements it signed, or the middle of a tie to "
                 "list the statements both signed, each with its archived source.")
STATEMENT_COLUMNS = ["date", "title", "forum", "signatory_count", "source_url", "method"]
NODE_COLUMNS = ["label", "kind", "statements", "degree", "weighted_degree", "betweenness",
                "community"]
REPLY_NODE_COLUMNS = ["label", "kind", "degree", "weighted_degree", "betweenness", "community"]
SELECTION = ("sig", "sig2")  # the clicked signatory, and the other end of a clicked tie
# Rows of the node and tie tables the page shows; the CSV has them all.
SHOWN_ROWS = 40


def period_options(ctx: Context) -> list[tuple[str, str]]:
    return [(p.label, p.period) for p in _periods(ctx)]


CONTROLS = [
    ControlSpec("period", "Period", "choice", period_options, default="all", all_label=None,
                edition="each", width="420px", resets=SELECTION),
]


def _run(ctx: Context):
    return lambda name, **params: ctx.query(name, **params)


def _periods(ctx: Context) -> list[networks.Period]:
    return networks.periods(_run(ctx), FIRST_YEAR, LAST_YEAR)


def _period(ctx: Context) -> networks.Period:
    chosen = ctx.value("period")
    return next((p for p in _periods(ctx) if p.period == chosen), _periods(ctx)[0])


@lru_cache(maxsize=64)  # the layout and measures once per (database, network, period, k)
def _network(data, name: str, period: networks.Period, min_cell: int) -> networks.Network:
    def run(query_name, **params):
        return data.cached(query_name, tuple(sorted((k, v) for k, v in params.items()
                                                    if v is not None)))
    if name == networks.COSIGNATORY:
        return networks.cosignatory_network(run, period)
    by = "people" if name == networks.REPLIES_PEOPLE else "organisations"
    return networks.reply_network(run, by, period, min_cell)


def heading(ctx: Context):
    measures = "".join(f"<li>{html.escape(text)}</li>" for text in networks.MEASURES.values())
    return [Heading("title", "Networks: who signed with whom, who answered whom", 1),
            Prose("intro", "Best Bits was above all a way for organisations to sign together. "
                  "The co-signatory network ties two signatories for each statement both signed; "
                  "the reply networks tie list posters (and their organisations) for each reply. "
                  "Names are as each source lists them: the same organisation listed two ways is "
                  "two nodes."),
            Prose("measures", f"<p>The measures in the tables:</p><ul>{measures}</ul>", small=True)]


def cosignatory(ctx: Context):
    period = _period(ctx)
    network = _network(ctx.data, networks.COSIGNATORY, period, 1)
    partial, _ = networks.partiality(_run(ctx), period)
    blocks = [Heading("cosign-title", "Who signed with whom", 2), ctx.controls("period"),
              Notice("cosign-partial", html.escape(partial), "warning")]
    blocks += [Prose(f"cosign-note-{i}", html.escape(note), small=True)
               for i, note in enumerate(network.notes)]
    if period.source_url and period.period.endswith("netmundial"):
        blocks.append(Prose("cosign-netmundial", "NETmundial's first day is the one the record "
                            "gives (the forums' meetings, shaded on the Overview's timeline, "
                            "each with its source). A statement known only by its month counts "
                            "on neither side when that month holds the meeting.", small=True))
    blocks.append(chart("cosign-chart", network_figure(
        network.nodes, network.edges, False, network.title,
        ("statement shared", "statements shared")),
        empty_text=f"No two signatories are listed for the same statement ({period.label}).",
        click="cosignatory"))
    blocks.append(table("cosign-nodes", network.nodes.head(SHOWN_ROWS), NODE_COLUMNS,
                        f"bestbits-cosignatory-nodes-{period.period}.csv",
                        caption_html=f"The {min(SHOWN_ROWS, len(network.nodes))} most tied of "
                                     + counted(len(network.nodes), "signatory", "signatories")
                                     + " (by weighted degree)."))
    ties = network.edges.head(SHOWN_ROWS)
    blocks.append(table("cosign-edges", ties, ["source", "target", "weight", "statement_ids"],
                        f"bestbits-cosignatory-ties-{period.period}.csv",
                        caption_html=f"The {len(ties)} heaviest of {len(network.edges)} ties, with "
                                     "the statements both signed (their sources: the statement "
                                     "pages)."))
    return blocks


def cosignatory_clicked(point: Point) -> dict[str, str | None]:
    custom = point.custom
    if not isinstance(custom, list) or not custom:
        return {}
    if point.meta == EDGE_META and len(custom) == 2:
        return {"sig": str(custom[0]), "sig2": str(custom[1])}
    if point.meta == NODE_META:
        return {"sig": str(custom[0]), "sig2": None}
    return {}


def rows_behind(ctx: Context):
    """The statements behind the clicked signatory (sig) or tie (sig and sig2)."""
    signatory, other = ctx.raw("sig"), ctx.raw("sig2")
    if not signatory:
        return evidence("cosign-evidence", EVIDENCE_HINT)
    period = _period(ctx)
    rows = ctx.query("network_statements_signed", signatory=signatory, other=other,
                     **period.params())
    who = f"{signatory} and {other}" if other else signatory
    what = "both signed" if other else "signed"
    return evidence("cosign-evidence", EVIDENCE_HINT,
                    f"Statements {who} {what} ({period.label}): {len(rows)}", rows,
                    STATEMENT_COLUMNS, "bestbits-statements-signed.csv")


def replies(ctx: Context, name: str, block: str, weight_words: tuple[str, str]):
    period = _period(ctx)
    k = config.min_cell()
    network = _network(ctx.data, name, period, k)
    blocks = [Heading(f"{block}-title", networks.NETWORKS[name], 2),
              chart(f"{block}-chart", network_figure(network.nodes, network.edges, True,
                                                     network.title, weight_words),
                    empty_text=f"No list replies ({period.label}): the database holds "
                               "no parsed list messages that answer one another (bestbits "
                               "collect list, then bestbits build).")]
    blocks += [Prose(f"{block}-note-{i}", html.escape(note), small=True)
               for i, note in enumerate(network.notes)]
    if len(network.nodes):
        blocks.append(table(f"{block}-nodes", network.nodes.head(SHOWN_ROWS), REPLY_NODE_COLUMNS,
                            f"bestbits-{name.replace('_', '-')}-{period.period}.csv"))
    return blocks


def reply_people(ctx: Context):
    return replies(ctx, networks.REPLIES_PEOPLE, "reply-people", ("reply", "replies"))


def reply_organisations(ctx: Context):
    return replies(ctx, networks.REPLIES_ORGANISATIONS, "reply-orgs", ("reply", "replies"))


PAGE = Page("networks", CONTROLS, [
    Section("heading", heading),
    Section("cosignatory", cosignatory),
    Section("evidence", rows_behind),
    Section("reply-people", reply_people),
    Section("reply-organisations", reply_organisations),
], clicks={"cosignatory": cosignatory_clicked})

"""The Search (Statements) page in Chromium, on a database built from the SYNTHETIC list-words
mbox (tests/fixtures/list_words/): search a word, open a message hit, open a statement and see
the list talk before it."""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pytest
from conftest import DashboardServer

from bestbits.load.search_index import create_statement_search_index
from support.dashboard_browser import (
    REDRAW_TIMEOUT_MS,
    download_csv,
    open_until_text,
    permalink,
    real_errors,
    rows_of,
    select_by_label,
    wait_for_permalink,
)
from support.list_words_db import MADE_UP_WORD, OPTED_OUT_NAME, build_list_words_db

pytestmark = pytest.mark.browser

# A synthetic pipermail address for each message, so that hits have an archived source to open
# (an imported mbox file has none); the host is an example domain.
SYNTHETIC_ARCHIVE = "https://lists.example.net/pipermail/bestbits/"
STATEMENT_LABEL = ("2013-06-10 · Civil society statement to the UN HRC on the impact of state "
                   "surveillance on human rights globally, addressing the US PRISM program")[:140]


@pytest.fixture(scope="module")
def words_dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-page")
    db = build_list_words_db(folder)
    con = duckdb.connect(str(db))
    con.execute("UPDATE messages SET url = ? || sent_month || '/' || "
                "right(replace(message_id, 'msg:', ''), 6) || '.html' WHERE method = 'parsed'",
                [SYNTHETIC_ARCHIVE])
    # Search hits are read from the full-text index: it is made again from the changed rows.
    create_statement_search_index(SimpleNamespace(con=con, db=db))
    con.close()
    server = DashboardServer(db, folder / "voila.log")
    yield server
    server.stop()


def choose_until_taken(page, label: str, option: str, permalink_part: str) -> None:
    """Choose OPTION; again if the kernel's refill of the dropdown (sent before it saw the
    choice) reset it on the way: the permalink says when the kernel has taken it."""
    for _attempt in range(3):
        select_by_label(page, label, option)
        try:
            wait_for_permalink(page, permalink_part, timeout=20_000)
            return
        except Exception:  # playwright's TimeoutError: choose again
            continue
    wait_for_permalink(page, permalink_part)


def test_search_a_word_open_a_message_then_a_statement_and_its_list_context(
        words_dashboard, page, artifacts):
    open_until_text(page, words_dashboard.url + "?page=statements", "Search in")
    page.get_by_role("button", name="List messages").click()
    page.get_by_text("List messages:").first.wait_for()
    search = page.get_by_placeholder("search titles and text")
    search.fill(MADE_UP_WORD)
    search.press("Enter")
    page.get_by_text("List messages: 1").wait_for()
    # The count and the hits are two widgets, each updated as its state arrives.
    page.wait_for_function("document.querySelectorAll('li.bb-hit-message').length === 1")
    hit = page.locator("li.bb-hit-message")
    assert hit.locator("mark").first.inner_text().lower() == MADE_UP_WORD
    source = hit.locator("a.bb-archived")
    # The archived copy of the message's page nearest its date, the page named beside it.
    assert source.get_attribute("href").startswith("https://web.archive.org/web/2013")
    assert source.get_attribute("data-originalurl").startswith(SYNTHETIC_ARCHIVE)

    choose_until_taken(page, "Message", "2013-04-22 · [bestbits] Draft HRC statement on PRISM "
                                        "and state surveillance", "message=")
    text = page.locator(".bb-message-text")
    text.wait_for()
    assert MADE_UP_WORD in text.inner_text()
    assert "[address]" in text.inner_text() and "plain.person" not in text.inner_text()
    assert "sig.person" not in page.content()
    assert "message=" in permalink(page)
    page.screenshot(path=str(artifacts / "search-message.png"), full_page=True)

    search.fill("surveillance")
    search.press("Enter")
    found = rows_of(words_dashboard.db, "message_search", q="surveillance")
    assert found > 1
    page.get_by_text(f"List messages: {found}").wait_for()
    assert OPTED_OUT_NAME not in page.content()

    page.get_by_role("button", name="Statements", exact=True).click()
    page.get_by_text("Download CSV (").first.wait_for()
    # The dropdown is refilled by the kernel after the table: wait until it offers the statement.
    page.wait_for_function(
        """label => Array.from(document.querySelectorAll('.widget-dropdown select option'))
                 .some(o => o.text.replace(/\u00a0/g, ' ') === label)""",
        arg=STATEMENT_LABEL, timeout=REDRAW_TIMEOUT_MS)
    choose_until_taken(page, "Statement", STATEMENT_LABEL, "statement=hrc-surveillance-2013")
    context = page.locator(".bb-list-context")
    context.get_by_text("On the list before this statement").wait_for()
    rows = context.locator("table").first.inner_text()
    assert "Draft HRC statement on PRISM" in rows
    assert "Lunch plans" not in rows
    assert "title words:" in rows
    assert context.get_by_text("Signatories active on the list").count() == 1
    page.screenshot(path=str(artifacts / "search-statement-context.png"), full_page=True)
    link = permalink(page)
    assert "statement=hrc-surveillance-2013" in link and "q=surveillance" in link
    assert not real_errors(page)


def test_the_permalink_reopens_the_message_search(words_dashboard, page):
    open_until_text(page, words_dashboard.url + f"?page=statements&in=messages&q={MADE_UP_WORD}",
                    "List messages: 1")
    assert page.locator("li.bb-hit-message").count() == 1


def address(page) -> str:
    return page.evaluate("location.search")


def test_a_hit_opens_in_place_and_back_and_forward_step_through_searches(
        words_dashboard, page, artifacts):
    open_until_text(page, words_dashboard.url + "?page=statements&in=messages", "List messages:")
    search = page.get_by_placeholder("search titles and text")
    search.fill(MADE_UP_WORD)
    search.press("Enter")
    page.get_by_text("List messages: 1", exact=True).wait_for()
    wait_for_permalink(page, f"q={MADE_UP_WORD}")
    # Typing rewrites the address in place; Enter makes the search a step of the history.
    steps = page.evaluate("history.length")
    search.fill("surveillance")
    assert "q=surveillance" in address(page) and page.evaluate("history.length") == steps
    search.press("Enter")
    found = rows_of(words_dashboard.db, "message_search", q="surveillance")
    page.get_by_text(f"List messages: {found}", exact=True).wait_for()
    wait_for_permalink(page, "q=surveillance")
    assert page.evaluate("history.length") == steps + 1

    # The hit's title opens its reading pane below the list, in the same page.
    hit = page.locator("li.bb-hit-message").first
    title = hit.locator("a.bb-hit-open").inner_text()
    hit.locator("a.bb-hit-open").click()
    pane = page.locator(".bb-message")
    pane.get_by_text(title, exact=True).first.wait_for()
    assert pane.locator("a.bb-archived").first.get_attribute("href").startswith(
        "https://web.archive.org/web/")
    assert "message=" in address(page) and "q=surveillance" in address(page)
    assert page.locator("li.bb-hit-message").count() == min(found, 50)  # the list stays
    page.screenshot(path=str(artifacts / "search-hit-opened-in-place.png"), full_page=True)

    page.go_back()
    page.wait_for_function("!location.search.includes('message=')")
    page.locator(".bb-message").wait_for(state="detached")
    page.go_back()
    page.get_by_text("List messages: 1", exact=True).wait_for()
    assert f"q={MADE_UP_WORD}" in address(page)
    assert search.input_value() == MADE_UP_WORD
    wait_for_permalink(page, f"q={MADE_UP_WORD}")
    page.screenshot(path=str(artifacts / "search-back-to-first-words.png"), full_page=True)

    page.go_forward()
    page.get_by_text(f"List messages: {found}", exact=True).wait_for()
    assert "q=surveillance" in address(page)
    assert search.input_value() == "surveillance"
    assert not real_errors(page)


def test_a_statement_hit_opens_its_card_with_its_archived_source(words_dashboard, page):
    open_until_text(page, words_dashboard.url + "?page=statements&q=surveillance",
                    "Statements:")
    hit = page.locator("li.bb-hit-statement a.bb-hit-open").first
    title = hit.inner_text()
    hit.click()
    card = page.locator(".bb-statement")
    card.locator("h3", has_text=title).wait_for()
    source = card.locator(".bb-facts a.bb-archived").first
    assert source.get_attribute("href").startswith("https://web.archive.org/web/")
    assert "archived" in source.inner_text()
    assert "statement=" in address(page)


def test_searching_both_kinds_gives_one_list_with_one_csv(words_dashboard, page, artifacts):
    open_until_text(page, words_dashboard.url + "?page=statements&in=all&q=surveillance",
                    "Statements and list messages:")
    hits = page.locator(".bb-hits")
    assert hits.count() == 1
    assert hits.locator("li.bb-hit-statement").count() >= 1
    assert hits.locator("li.bb-hit-message").count() >= 1
    assert page.locator("a.bb-csv").count() == 1 and page.locator("table.bb-table").count() == 0
    rows = download_csv(page, page.locator("a.bb-csv"))
    assert {r["kind"] for r in rows} == {"statement", "message"}
    assert len(rows) == hits.locator("li.bb-hit").count()
    page.screenshot(path=str(artifacts / "search-both-one-list.png"), full_page=True)

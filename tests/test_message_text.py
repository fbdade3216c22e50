"""The message cleaner: a message's own words, with no quote, signature, footer or address."""

from __future__ import annotations

import pytest

from bestbits.privacy import redact
from scrapers.parse.mbox import ParsedMessage, iter_mbox_file
from scrapers.parse.message_text import clean_message_text, own_text
from support.list_privacy import addresses_in
from support.peer_data import peer_folder

# Synthetic bodies (made up for the tests, example.* domains).
REPLY = """I agree with the draft, and the encryption paragraph should stay.

On Mon, 3 Mar 2014 at 10:00, Jo Example <jo@example.org> wrote:
> We should drop the paragraph on anonymity.
> Jo

--
Ana Example
Policy lead, example.org | ana at example.org
"""

LIST_FOOTER = """See you in Istanbul.

_______________________________________________
Bestbits mailing list
Bestbits at lists.example.net
https://lists.example.net/mailman/listinfo/bestbits
"""

SCRUBBED = """Slides attached.
-------------- next part --------------
An HTML attachment was scrubbed...
URL: <http://lists.example.net/pipermail/bestbits/attachments/2014/a.html>
"""


def test_quoted_reply_and_attribution_line_are_cut():
    text = clean_message_text(REPLY)
    assert text == "I agree with the draft, and the encryption paragraph should stay."


def test_a_wrapped_attribution_with_a_quoted_second_half_is_cut():
    body = ("Yes.\n\nOn Sat, Nov 8, 2014 at 11:37 AM, Jo Example <jo at example.org\n"
            "> wrote:\n> the quote\n")
    assert clean_message_text(body) == "Yes."


def test_a_message_that_is_only_a_quote_keeps_an_empty_text():
    assert clean_message_text("On Monday, Jo wrote:\n> all of it\n>> and more\n") == ""
    assert clean_message_text("") == ""


def test_signature_list_footer_and_scrubbed_attachment_are_cut():
    assert clean_message_text(LIST_FOOTER) == "See you in Istanbul."
    assert clean_message_text(SCRUBBED) == "Slides attached."
    assert clean_message_text("Thanks\n-- \nBen\n+1 555 0100\n") == "Thanks"


def test_an_inline_reply_under_an_original_message_banner_keeps_the_answers():
    body = ("-----Original Message-----\n> Can you come?\nYes, on Tuesday.\n"
            "> And bring slides?\nOf course.\n")
    assert clean_message_text(body) == "Yes, on Tuesday.\nOf course."


def test_an_outlook_reply_under_the_authors_text_is_cut():
    body = ("Fine by me.\n\nFrom: Jo Example [mailto:jo@example.org]\nSent: Monday\n"
            "To: list\nSubject: plans\n\nThe original text.\n")
    assert clean_message_text(body) == "Fine by me."


@pytest.mark.parametrize("written", [
    "jo@example.org", "jo.example+list@mail.example.co.uk", "jo at example.org",
    "jo (at) example.org", "jo [at] example dot org", "mailto:jo@example.org?subject=hi",
    "mailto:jo at example.org", "<jo at example.org>", "JO AT EXAMPLE.ORG"])
def test_every_form_of_an_address_is_replaced(written):
    text = redact(f"write to {written} today")
    assert "[address]" in text
    assert "example" not in text.lower(), text
    assert not addresses_in(text)


def test_web_addresses_and_ordinary_at_stay():
    text = "see https://lists.example.net/info/bestbits and meet at noon at the venue"
    assert redact(text) == text


def test_own_text_keeps_the_words_the_forum_rules_read():
    assert "encryption" in own_text(REPLY) and "anonymity" not in own_text(REPLY)


PEER_FOLDERS = ["perceval", "bigbang", "hyperkitty", "mlstats"]


@pytest.mark.parametrize("folder", PEER_FOLDERS)
def test_real_archives_keep_no_address_and_no_quote(folder):
    root = peer_folder(folder)
    files = [p for p in sorted(root.iterdir()) if p.suffix in (".mbox", ".txt")]
    messages = [m for path in files for m in iter_mbox_file(path)
                if isinstance(m, ParsedMessage)]
    assert messages, f"no message parsed from {root}"
    for message in messages:
        text = clean_message_text(message.body)
        assert not addresses_in(text), (message.locator, addresses_in(text))
        assert "@" not in text.replace("@home", ""), message.locator  # '@home': an ISP's name
        assert not any(line.lstrip().startswith(">") for line in text.splitlines())
        assert not any(line.rstrip().endswith("wrote:") for line in text.splitlines())
    # The quote-only rule on real mail: an all-quote body cleans to nothing.
    quoted_only = "\n".join("> " + line for line in messages[0].body.splitlines())
    assert clean_message_text(quoted_only) == ""

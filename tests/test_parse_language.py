"""Languages of pages and messages: address prefix, then <html lang>, then the words."""

from __future__ import annotations

from pathlib import Path

import pytest

from scrapers.parse.language import (
    detect_language,
    language_of_message,
    language_of_tag,
    language_of_url,
)


def test_the_address_prefix_wins_over_html_lang_and_words():
    assert detect_language("An English text about the forum and its future, long enough.",
                           "https://bestbits.net/es/event/x/", "en-US") == "es"
    assert language_of_url("https://bestbits.net/fr/") == "fr"
    assert language_of_url("https://bestbits.net/?p=5&lang=pt") == "pt"
    assert language_of_url("https://bestbits.net/espana/") is None


def test_html_lang_comes_next():
    assert detect_language("", "https://bestbits.net/x/", "pt-BR") == "pt"
    assert language_of_tag("es_ES") == "es" and language_of_tag("") is None


def test_the_words_tell_when_nothing_else_does():
    cases = {
        "Declaración de la sociedad civil sobre el Foro de Gobernanza de Internet": "es",
        "Déclaration de la société civile sur le Forum sur la gouvernance de l'Internet": "fr",
        "Declaração da sociedade civil sobre o Fórum de Governança da Internet": "pt",
        "Civil society statement on the future of the Internet Governance Forum": "en",
    }
    for text, lang in cases.items():
        assert detect_language(text) == lang, text


def test_too_little_text_gives_no_language():
    assert detect_language("+1") is None
    assert detect_language(None) is None


def test_forum_rules_read_the_forums_names_in_spanish_french_and_portuguese():
    from bestbits.load.forums import classify

    names = {
        "Foro de Gobernanza de Internet": "IGF",
        "Forum sur la gouvernance de l'Internet": "IGF",
        "Fórum de Governança da Internet": "IGF",
        "Cumbre Mundial sobre la Sociedad de la Información": "WSIS+10",
        "Sommet mondial sur la société de l’information": "WSIS+10",
        "Consejo de Derechos Humanos": "HRC",
        "Conseil des droits de l'homme": "HRC",
    }
    for title, forum in names.items():
        assert [m.forum for m in classify({"title": title})] == [forum], title


def test_cld2_names_the_language_py3langid_named_on_the_real_peer_messages():
    """The detector before issue 20 (py3langid) named a language for each real peer message
    (tests/fixtures/list/peer_languages.json holds only its answers); CLD2 must agree on 98%."""
    import hashlib
    import json

    from scrapers.parse.mbox import Reject, parse_message, split_mbox
    from scrapers.parse.message_text import clean_own_text, own_text
    from support.peer_data import peer_data_dir, peer_mbox_files, skip_reason

    root = peer_data_dir()
    if root is None:
        pytest.skip(skip_reason("perceval"))
    before = json.loads((Path(__file__).parent / "fixtures" / "list" / "peer_languages.json")
                        .read_text())["languages"]
    same = compared = 0
    for files in peer_mbox_files(root).values():
        for path in files:
            for _offset, raw in split_mbox(path.read_bytes()):
                message = parse_message(raw, path.name)
                key = hashlib.sha256(raw).hexdigest()[:16]
                if isinstance(message, Reject) or key not in before:
                    continue
                text = clean_own_text(own_text(message.body or ""))
                compared += 1
                same += language_of_message(text) == before[key]
    assert compared >= len(before)  # every message of the snapshot was read again
    assert same / compared >= 0.98, (same, compared)

"""Forum classification rules: several forums per item, each with its evidence."""

from bestbits.load.forums import classify, known_forums, load_rules


def test_the_four_forums_of_the_dashboards_come_first():
    assert [f.forum for f in load_rules()][:4] == ["IGF", "NETmundial", "WSIS+10", "UNESCO"]
    assert {"ITU", "HRC", "ICANN", "other"} <= known_forums()


def test_an_item_can_belong_to_several_forums_with_evidence():
    matches = classify({"title": "Civil society at WSIS+10 and the IGF",
                        "addressee": "ITU Secretary-General"})
    assert [m.forum for m in matches] == ["IGF", "WSIS+10", "ITU"]
    assert matches[0].evidence == "title: 'IGF'"
    assert matches[2].evidence == "addressee: 'ITU'"


def test_acronyms_match_only_as_acronyms():
    assert classify({"subject": "the digital divide and figs"}) == []
    assert [m.forum for m in classify({"subject": "Re: [bestbits] NETmundial roadmap"})] == [
        "NETmundial"]

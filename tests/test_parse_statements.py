"""Statements: endorsements from tables, lists and lines, who is an organisation, stated counts."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.parse.statements import (
    Endorsement,
    find_addressee,
    guess_kind,
    parse_endorsements,
    parse_statement,
    split_endorsement,
    stated_count,
)
from scrapers.parse.tree import read_document
from support.site_pages import FIXTURES


def test_statement_with_a_table_of_endorsers():
    statement = parse_statement("https://bestbits.net/example-open-letter/",
                                (FIXTURES / "statement_table.html").read_bytes())
    assert statement.title == "Example open letter on participation"
    assert statement.date.day == date(2017, 12, 12)
    assert statement.addressee == "Chair of the Example Conference"
    assert statement.stated_count == "45"
    assert statement.signatory_count == "45"
    assert statement.endorsements == [
        Endorsement("Example Digital Rights Foundation", None, "Kenya", "organisation"),
        Endorsement("Alice Example", "Sample Research Institute", "Brazil", "individual"),
        Endorsement("Open Sample Network", None, "India", "organisation"),
    ]


def test_statement_text_is_sanitised_and_kept_plain():
    statement = parse_statement("https://bestbits.net/example-open-letter/",
                                (FIXTURES / "statement_table.html").read_bytes())
    html = statement.text_html.lower()
    for payload in ("<script", "onerror", "onclick", "<img", "tracker.example", "document.write"):
        assert payload not in html
    # The endorsement table is read into endorsements; the text and its HTML end before it.
    assert "<table>" not in html and "example digital rights foundation" not in html
    assert "Example Digital Rights Foundation" not in statement.text
    assert "this letter is endorsed by 45 organisations" in html
    assert "injected" not in statement.text
    assert "We write as a synthetic coalition" in statement.text


def test_statement_with_lists_under_organisation_and_individual_headings():
    statement = parse_statement("https://bestbits.net/es/example-declaracion/",
                                (FIXTURES / "statement_lists.html").read_bytes())
    assert statement.date.day == date(2013, 10, 19)  # 'octubre 19, 2013' in the meta line
    assert statement.stated_count == ">90"
    assert [(e.name, e.organisation, e.country, e.kind) for e in statement.endorsements] == [
        ("Asociación Ejemplo por los Derechos Digitales", None, "Chile", "organisation"),
        ("Sample Privacy Coalition", None, None, "organisation"),
        ("Red de Prueba", None, None, "organisation"),
        ("Bruno Sample", "Example University", "Argentina", "individual"),
        ("Chen Test", None, None, "individual"),
    ]


def test_statement_with_endorsers_as_lines_of_text():
    statement = parse_statement("https://bestbits.net/amazon-synthetic-copy/",
                                (FIXTURES / "statement_lines.html").read_bytes())
    assert statement.addressee == "the Example Board of Directors"
    assert statement.stated_count is None
    assert statement.signatory_count == "3"  # as parsed, when the page states none
    assert [(e.name, e.kind, e.country) for e in statement.endorsements] == [
        ("Example Indigenous Media Collective", "organisation", None),
        ("Dana Example", "individual", None),
        ("Sample Forest Association", "organisation", "Peru"),
    ]


def test_a_page_without_a_signatories_cue_has_no_endorsements():
    doc = read_document("<body><p>Just a post.</p><ul><li>One point</li></ul></body>")
    assert parse_endorsements(doc) == []


@pytest.mark.parametrize("text, expected", [
    ("This letter is endorsed by 45 organisations.", "45"),
    ("It was signed by more than 90 civil society groups", ">90"),
    ("Signed by 18 organisations and 35 individuals", "53"),
    ("Firmada por más de 90 organizaciones.", ">90"),
    ("Déclaration signée par 12 organisations", "12"),
    ("assinada por 30 organizações", "30"),
    ("a gathering of over 90 civil society groups", None),
])
def test_stated_counts(text, expected):
    assert stated_count(text) == expected


@pytest.mark.parametrize("name, kind", [
    ("Electronic Example Foundation", "organisation"), ("ONG Derechos Ejemplo", "organisation"),
    ("EXAMPLENET", "organisation"), ("Ana María de la Prueba", "individual"),
    ("Jane Example", "individual"), ("x", None),
])
def test_organisation_or_individual_from_the_name(name, kind):
    assert guess_kind(name) == kind


def test_endorsement_line_forms():
    assert split_endorsement("Jane Example, Example University, Kenya", None) == Endorsement(
        "Jane Example", "Example University", "Kenya", "individual")
    assert split_endorsement("Example Rights Network (Chile)", None) == Endorsement(
        "Example Rights Network", None, "Chile", "organisation")
    assert split_endorsement("3. Jane Example (Example Institute)", None) == Endorsement(
        "Jane Example", "Example Institute", None, "individual")
    # An address printed beside a name is never kept.
    assert split_endorsement("Jane Example <jane@example.org>", None).name == "Jane Example"


def test_addressee_from_a_salutation_of_excellencies():
    doc = read_document("<body><p>Your Excellency Secretary-General Example, Your Excellency "
                        "the High Commissioner for Human Rights,</p><p>We write to you.</p></body>")
    assert find_addressee(doc) == ("Secretary-General Example; the High Commissioner for "
                                   "Human Rights")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["<h2>Signatories</h2><ul><li>", "<table><tr>"
                                               "<th>Name</th><th>Organisation</th></tr><tr><td>",
                                               "<p>Signed by:<br>", "Individuals:"]))
def test_statement_parser_never_crashes(text, markup):
    statement = parse_statement("https://bestbits.net/x/", f"<body>{markup}{text}</body>")
    assert all(e.name for e in statement.endorsements)


def test_section_labels_in_text_lines_set_the_kind():
    doc = read_document("<body><p>Organisations:<br>Example Rights Lab<br>Sample Watch</p>"
                        "<p>Individuals:<br>Ana Example, Example University</p></body>")
    assert [(e.name, e.organisation, e.kind) for e in parse_endorsements(doc)] == [
        ("Example Rights Lab", None, "organisation"), ("Sample Watch", None, "organisation"),
        ("Ana Example", "Example University", "individual")]


def test_endorsers_as_lines_of_people_and_organisations_stay_out_of_the_text():
    statement = parse_statement("http://bestbits.net/igf-statement-2014/",
                                (FIXTURES / "statement_people_lines.html").read_bytes())
    assert statement.date.day.isoformat() == "2014-09-05"
    people = [(e.name, e.organisation, e.country, e.kind, e.basis)
              for e in statement.endorsements]
    assert people[:3] == [
        ("Example Rights Network", None, "Kenya", "organisation", "words"),
        ("Maria Example", "Sample Digital Institute", "Brazil", "individual", "line"),
        ("John Sample", "Example University", "India", "individual", "line")]
    assert len(people) == 6
    assert "Maria Example" not in statement.text and "Endorsed by" not in statement.text
    assert "Maria Example" not in statement.text_html
    assert "We ask for a synthetic outcome" in statement.text
    assert (statement.count_of("individual"), statement.stated_count) == (2, "6")


def test_portuguese_statement_is_dated_and_in_portuguese():
    statement = parse_statement("https://bestbits.net/pt/igf-statement-2014/",
                                (FIXTURES / "statement_pt.html").read_bytes())
    assert statement.date.day.isoformat() == "2014-09-05" and statement.lang == "pt"


# -- who is a person (issue 17): the shapes individual signatories took, from a synthetic
#    page; before, five of its nine signatories were typed wrongly or not at all.

def test_individual_signatories_are_typed_as_individuals_in_every_shape():
    statement = parse_statement("https://bestbits.net/example-joint-letter/",
                                (FIXTURES / "statement_signatory_shapes.html").read_bytes())
    assert [(e.name, e.organisation, e.country, e.kind) for e in statement.endorsements] == [
        ("Example Digital Rights Network", None, "Kenya", "organisation"),
        # An organisation with the person who signed for it stays one organisation.
        ("Sample Media Collective (Ana Example)", None, None, "organisation"),
        ("Jane Example", "ESN", None, "individual"),       # a person with her body's acronym
        ("Jean EXAMPLE", None, None, "individual"),        # a surname in capitals
        ("niels ten example", None, None, "individual"),   # lower case, with a particle
        ("Maria de los Angeles Example", "Sample Research Institute", "Brazil", "individual"),
        ("Omar el Sample", None, None, "individual"),      # '(individual capacity)'
        ("A. H. M. Test Example", None, None, "individual"),  # initials
        ("Example Open Knowledge Hub", None, None, "organisation"),
    ]


@pytest.mark.parametrize("text, expected", [
    ("Jane Example (APC)", ("Jane Example", "APC", None, "individual")),
    ("Example Frontier Foundation (EFF)", ("Example Frontier Foundation (EFF)", None, None,
                                           "organisation")),
    ("Jane Example – Example Institute", ("Jane Example", "Example Institute", None,
                                          "individual")),
    ("Jane Example, in a personal capacity", ("Jane Example", None, None, "individual")),
    ("Ana Example (Sample Network, Brazil)", ("Ana Example", "Sample Network", "Brazil",
                                              "individual")),
    ("Example Institute, Example City (Ana Example)", (
        "Example Institute, Example City (Ana Example)", None, None, "organisation")),
])
def test_endorsement_line_shapes_of_people_and_organisations(text, expected):
    e = split_endorsement(text, None)
    assert (e.name, e.organisation, e.country, e.kind) == expected


_GIVEN = st.sampled_from(["Ana", "Bruno", "Chen", "Dana", "Émile", "Jean-Pierre", "Niels",
                          "María José", "Omar"])
_SURNAME = st.sampled_from(["Example", "Sample", "O'Test", "Prüfer", "Exemplo"])
_PARTICLE = st.sampled_from(["", "de ", "van der ", "ten ", "el ", "da "])
_TITLE = st.sampled_from(["", "Dr. ", "Prof. "])


@settings(max_examples=200, deadline=None)
@given(_TITLE, _GIVEN, st.booleans(), _PARTICLE, _SURNAME,
       st.sampled_from(["", " (APC)", ", Example University", " – Sample Institute",
                        " (individual capacity)", ", Kenya"]))
def test_a_persons_name_in_any_of_its_forms_is_an_individual(title, given_name, initial,
                                                              particle, surname, tail):
    name = f"{title}{given_name} {'Q. ' if initial else ''}{particle}{surname}"
    endorsement = split_endorsement(name + tail, None)
    assert endorsement.kind == "individual", name + tail
    assert endorsement.name == name

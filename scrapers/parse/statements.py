"""Read a sign-on statement: title, date, addressee, text, endorsements and the count it states.

Endorsements come as `<ol>`/`<ul>` lists, as tables (name | organisation | country), or as
lines of text after a "Signatories" heading. Each is told apart as an organisation or an
individual: by the section it stands in ("Organisations:", "Individuals:") when the page has
sections, by the table's columns, else by its words; when nothing tells, kind stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bestbits.privacy import REDACTED, redact
from scrapers.parse.dates import PartialDate
from scrapers.parse.events import COUNTRIES
from scrapers.parse.language import detect_language
from scrapers.parse.pages import decode_body, page_title, published
from scrapers.parse.sanitise import sanitise_html
from scrapers.parse.tree import Block, Document, html_before, read_document

_SIGNATORIES = re.compile(
    r"^(list of |the )?(signatories|signatures|signed( by)?|endorsements?|endorsed by|endorsers|"
    r"supporters|co-?signatories|firmantes|firmas|firmado por|adhesiones|signataires|"
    r"sign[ée] par|assinantes|signat[áa]rios|assinaturas|assinado por)\b",
    re.IGNORECASE)
_ORG_SECTION = re.compile(
    r"^(signatory |signing |endorsing )?(organi[sz]ations?|organi[sz]ational (signatories|"
    r"endorsements)|groups|organizaciones|organisations signataires|organismes|organiza[çc][õo]es|"
    r"entidades)\b", re.IGNORECASE)
_PERSON_SECTION = re.compile(
    r"^(signatory |signing )?(individuals?|individual (signatories|endorsements)|people|persons|"
    r"personas|individuos|individus|personnes|pessoas|indiv[íi]duos|in (a|their) personal "
    r"capacity)\b", re.IGNORECASE)
_ORG_WORDS = re.compile(
    r"\b(foundation|association|institute|institut|centre|center|network|coalition|society|"
    r"project|council|alliance|forum|lab|labs|group|union|federation|committee|initiative|"
    r"trust|rights|media|digital|internet|ngo|inc|ltd|e\.v|campaign|collective|movement|"
    r"international|watch|access|coop|cooperative|club|observatory|observatorio|fundaci[óo]n|"
    r"asociaci[óo]n|instituto|red|colectivo|associa[çc][ãa]o|funda[çc][ãa]o|coletivo|"
    r"associa(tion|zione)|r[ée]seau|ligue|soci[ée]t[ée]|university|universidad|universit[ée]|"
    r"universidade|school|press|partners|org|platform|plataforma|consumers|library|libraries|"
    r"agency|department|ministry|commission|secretariat|program|programme|office|"
    r"chapter|caucus|now|ong|ang|frontier|electronic|reporters|borders|future|advocacy|voices|"
    r"action|solidarity|commons|community|citizens|fund|fondation|bureau|services?|hub|centro|"
    r"coalici[óo]n|instituut|stiftung|verein|ngos?)\b", re.IGNORECASE)
_STATED = [
    (re.compile(r"(\d+)\s+(?:organi[sz]ations?|groups)\s+and\s+(\d+)\s+individuals?", re.I),
     "sum"),
    (re.compile(
        r"(?:endorsed|signed|supported|backed|co-?signed)\s+(?:on\s+)?by\s+(more than|over|"
        r"at least|nearly|almost|some|about)?\s*(\d[\d,]*)\s+(?:\w+\s+){0,3}?(?:organi[sz]ations|"
        r"groups|individuals|signatories|people|organi[sz]ations and individuals|ngos)", re.I),
     "verb"),
    (re.compile(r"(?:firmad[ao]s?|suscrit[ao]s?|respaldad[ao]s?)\s+por\s+(m[áa]s de)?\s*(\d+)\s+"
                r"(?:organizaciones|personas|grupos)", re.I), "verb"),
    (re.compile(r"sign[ée]e?s?\s+par\s+(plus de)?\s*(\d+)\s+(?:organisations|personnes|groupes)",
                re.I), "verb"),
    (re.compile(r"assinad[ao]s?\s+por\s+(mais de)?\s*(\d+)\s+(?:organiza[çc][õo]es|pessoas|"
                r"grupos)", re.I), "verb"),
    (re.compile(r"(\d+)\s+(?:organi[sz]ations|signatories)\s+(?:have\s+)?(?:signed|endorsed)",
                re.I), "count"),
]
_MORE_THAN = re.compile(r"more than|over|m[áa]s de|plus de|mais de", re.IGNORECASE)
_ADDRESSEE = [
    re.compile(r"^(?:to|addressed to|destinatario|destinataire|para|a la atenci[óo]n de)\s*:\s*"
               r"(.+)$", re.IGNORECASE),
    re.compile(r"^(?:dear|estimad[ao]s?|cher|ch[èe]re|chers|prezad[ao]s?|caro)\s+(.+?)[,:]?$",
               re.IGNORECASE),
    re.compile(r"^to\s+(the\s+.+?|h\.?e\.?\s+.+?|his excellency.+?|her excellency.+?)[,:]?$",
               re.IGNORECASE),
]


@dataclass
class Endorsement:
    name: str
    organisation: str | None = None
    country: str | None = None
    kind: str | None = None    # organisation | individual | None when nothing tells
    # What told the kind: section | table | line | words (provenance, not part of identity).
    basis: str | None = field(default=None, compare=False)
    # A cell of it held an e-mail address, which was taken out (a cell that was nothing but
    # an address is no name, and no organisation).
    had_address: bool = field(default=False, compare=False)


@dataclass
class ParsedStatement:
    title: str | None
    date: PartialDate | None
    addressee: str | None = None
    text: str = ""
    text_html: str = ""
    endorsements: list[Endorsement] = field(default_factory=list)
    stated_count: str | None = None    # as the page states it: '45', '>90'
    lang: str | None = None            # 'es' ...: address prefix, <html lang>, or the words
    problems: list[str] = field(default_factory=list)
    address_cells: int = 0             # endorsement cells that held an address (taken out)

    def count_of(self, kind: str) -> int:
        """Endorsements read as `kind` (organisation | individual)."""
        return sum(1 for e in self.endorsements if e.kind == kind)

    @property
    def signatory_count(self) -> str | None:
        """The stated count when the page gives one, else how many endorsements were read."""
        if self.stated_count:
            return self.stated_count
        return str(len(self.endorsements)) if self.endorsements else None

    def completeness(self) -> int:
        return (sum(bool(v) for v in (self.title, self.date, self.addressee, self.text,
                                      self.stated_count))
                + (2 if self.date and self.date.day else 0) + len(self.endorsements))


# Small words of a person's name ('Ana María de la Prueba', 'Niels ten Example'); written
# lower case they are never a word of the name's own.
_PARTICLES = frozenset("de da do dos das van von der den ten ter la le las los del della di du "
                       "bin binti bint ibn al el y e zu af".split())
_TITLES = re.compile(r"^(?:dr|prof|mr|mrs|ms|mx|sr|sra|dra|mme|m)\.?\s+", re.IGNORECASE)
# "(individual capacity)", ", in a personal capacity", "(à titre personnel)": a person, no body.
_PERSONAL = re.compile(
    r"^(?:in\s+(?:an?\s+|my\s+|his\s+|her\s+|their\s+)?)?(?:individual|personal)"
    r"(?:\s+capacity)?$|^individual(?:ly)?$|^[àa]\s+titre\s+personnel$|"
    r"^(?:a|em)\s+t[íi]tulo\s+personal$|^em\s+car[áa]ter\s+pessoal$|^a\s+t[íi]tulo\s+individual$",
    re.IGNORECASE)
# Between a name and its organisation: 'Jane Example – Example Institute'.
_DASH = re.compile(r"\s+[-–—]\s+")


def looks_like_person(name: str) -> bool:
    """A person's name by its shape: two to four words, each capitalised ('Jane Example',
    'Jean EXAMPLE', 'Carlos A. Example'), or all lower case ('jane example'); titles (Dr.,
    Prof.), initials and particles (de, van, ten, el ...) aside; no word of an organisation's."""
    text = _TITLES.sub("", name.strip())
    if not text or _ORG_WORDS.search(text) or re.search(r"[\d&/@()]", text):
        return False
    words = [w for w in text.split() if w.lower() not in _PARTICLES]
    # Initials ('A.', 'H.M.') belong to a name but say nothing of its length.
    named = [w for w in words if not re.fullmatch(r"(?:[A-ZÀ-Ý]\.)+", w)]
    if not 2 <= len(named) <= 4 or len(words) > 6:
        return False
    if all(re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ'’-]+", w) for w in words):
        return True  # written all in lower case, as people sign a list in haste
    capitalised = [bool(re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’.-][\w'’.-]*|(?:[A-ZÀ-Ý]\.)+", w))
                   for w in words]
    if all(capitalised):
        return True
    # A surname in capitals after capitalised given names: 'Jean EXAMPLE'.
    return (all(capitalised[:-1]) and len(words) >= 2
            and bool(re.fullmatch(r"[A-ZÀ-Ý][A-ZÀ-Ý'’-]+", words[-1])))


def guess_kind(name: str) -> str | None:
    """'organisation' or 'individual' from the words of a name alone; None when unsure."""
    text = name.strip()
    if not text:
        return None
    paren = re.match(r"^(.+?)\s*\(([^()]+)\)\s*$", text)
    if paren and re.fullmatch(r"[A-Z][A-Z0-9/&.-]+", paren.group(2).strip()):
        # 'Jane Example (APC)' is a person with her organisation's acronym; 'Electronic
        # Frontier Foundation (EFF)' an organisation with its own.
        return "individual" if looks_like_person(paren.group(1)) else "organisation"
    if looks_like_person(text):
        return "individual"
    if _ORG_WORDS.search(text) or re.search(r"\([A-Z]{2,}\)|\b[A-Z]{3,}\b", text):
        return "organisation"
    if re.search(r"\s(for|of|the|without|with|against|on|and|pour|sans|sin|sem|por)\s",
                 f" {text} ", re.IGNORECASE):
        # 'Fight For The Future', 'Reporters Without Borders': a person's name has none.
        return "organisation"
    return None


def _personal(text: str) -> bool:
    return bool(_PERSONAL.match(text.strip(" ,.;")))


def _with_country(text: str) -> tuple[str, str | None]:
    """'Sample Network, Brazil' -> ('Sample Network', 'Brazil')."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) >= 2 and parts[-1].lower() in COUNTRIES:
        return ", ".join(parts[:-1]), parts[-1]
    return text, None


def _without_address(cell: str | None) -> tuple[str | None, bool]:
    """A signatory cell with any address taken out (and the brackets that held it), and whether
    it held one. A cell that was only an address gives no text: it names nobody."""
    if not cell:
        return cell, False
    redacted = redact(cell)
    if REDACTED not in redacted:
        return cell, False
    text = re.sub(r"[<(\[]\s*[>)\]]", "", redacted.replace(REDACTED, ""))
    text = " ".join(text.split()).strip(" ,;:-|/")
    return text or None, True


def split_endorsement(text: str, kind: str | None) -> Endorsement:
    """'Name, Organisation, Country', 'Organisation (Country)' or 'Name (Organisation)'."""
    text, had_address = _without_address(text)
    endorsement = _split_endorsement(text or "", kind)
    endorsement.had_address = had_address
    return endorsement


def _split_endorsement(text: str, kind: str | None) -> Endorsement:
    """'Name, Organisation, Country', 'Name – Organisation', 'Name (Organisation)', 'Name
    (ACRONYM)', 'Organisation (Country)', 'Organisation (Representative)', 'Name (individual
    capacity)': the signatory, the organisation of a person, the country, and the kind when
    the line's shape tells it."""
    text = re.sub(r"^\s*(\d+[.)]|[-•*–])\s*", "", text).strip(" ;.,")
    country = organisation = None
    told: str | None = None     # the kind the line's own shape tells
    paren = re.match(r"^(.+?)\s*\(([^()]+)\)\s*$", text)
    if paren:
        before, inner = paren.group(1).strip(), paren.group(2).strip()
        if inner.lower() in COUNTRIES:
            text, country = before, inner
        elif _personal(inner):
            text, told = before, "individual"
        elif re.fullmatch(r"[A-Z][A-Z0-9/&.-]+", inner):
            # An acronym: a person's organisation, or the organisation's own name.
            if kind != "organisation" and looks_like_person(before):
                text, organisation, told = before, inner, "individual"
        elif kind != "organisation" and looks_like_person(before):
            text, told = before, "individual"
            organisation, country = _with_country(inner)
        elif kind != "individual" and looks_like_person(inner):
            # 'Access (Brett Example)': an organisation and the person who signed for it.
            told = "organisation"
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) >= 2 and country is None and parts[-1].lower() in COUNTRIES:
        country = parts.pop()
    if len(parts) >= 2 and parts[-1].strip() and _personal(parts[-1]):
        parts.pop()
        told = told or "individual"
    if told is None and kind != "organisation":
        dashed = _DASH.split(", ".join(parts), maxsplit=1)
        if len(dashed) == 2 and looks_like_person(dashed[0]):
            parts, organisation, told = [dashed[0]], dashed[1], "individual"
    if len(parts) >= 2 and kind != "organisation" and told != "organisation":
        if looks_like_person(parts[0]) or kind == "individual" or told == "individual":
            organisation = organisation or ", ".join(parts[1:])
            parts = parts[:1]
            told = told or "individual"
    name = ", ".join(parts)
    if kind:
        return Endorsement(name, organisation, country, kind, "section")
    if told:
        return Endorsement(name, organisation, country, told, "line")
    guessed = guess_kind(name)
    return Endorsement(name, organisation, country, guessed, "words" if guessed else None)


def _table_endorsements(block: Block, kind: str | None) -> list[Endorsement]:
    rows = block.rows
    if not rows:
        return []
    header = [c.strip(" :").lower() for c in rows[0]]

    def column(*words: str) -> int | None:
        return next((i for i, c in enumerate(header) if any(w in c for w in words)), None)

    name_col = column("name", "nombre", "nom", "nome", "signator", "firmante")
    org_col = column("organi", "affiliation", "afiliaci", "entidad", "institution")
    country_col = column("country", "país", "pais", "pays")
    has_header = block.header or name_col is not None or country_col is not None
    body = rows[1:] if has_header else rows
    if name_col is None:
        name_col = 0 if org_col != 0 else 1
    found = []
    for row in body:
        cleaned = [_without_address(value) for value in row]

        def cell(i: int | None, cleaned: list = cleaned) -> str | None:
            return (cleaned[i][0] or "").strip() or None if i is not None and i < len(cleaned) \
                else None

        name, org, country = cell(name_col), cell(org_col), cell(country_col)
        had_address = any(flag for _text, flag in cleaned)
        if not name and org:
            name, org = org, None
            row_kind, basis = "organisation", "table"
        elif name and org:
            row_kind, basis = (kind, "section") if kind else ("individual", "table")
        elif kind:
            row_kind, basis = kind, "section"
        else:
            row_kind = guess_kind(name) if name else None
            basis = "words" if row_kind else None
        found.append(Endorsement(name or "", org, country, row_kind, basis, had_address))
    return found


def parse_endorsements(doc: Document) -> list[Endorsement]:
    """Every endorsement after the page's signatories cue (or under an Organisations /
    Individuals heading), in page order."""
    return read_endorsements(doc)[0]


def read_endorsements(doc: Document) -> tuple[list[Endorsement], tuple[int, int] | None, int]:
    """The endorsements, where their list begins (block index, line index): the statement's
    own text ends there (no endorsement read: no start), and how many of the cells read held
    an e-mail address (taken out; a cell that was only one is dropped)."""
    found: list[Endorsement] = []
    active = False
    kind: str | None = None
    start: tuple[int, int] | None = None

    def begin(at: tuple[int, int]) -> None:
        nonlocal start
        if start is None or not found:
            start = at

    for block_index, block in enumerate(doc.blocks):
        if block.kind in ("heading", "text"):
            lines = [block.text] if block.kind == "heading" else block.lines
            rest: list[str] = []
            for number, line in enumerate(lines):
                short = line.strip(" :*").strip()
                cue = len(short) < 80 and not re.search(r"[.!?]$", short)
                if cue and _SIGNATORIES.match(short):
                    active = True
                    sub = re.sub(_SIGNATORIES, "", short).strip(" :")
                    kind = ("organisation" if _ORG_SECTION.match(sub) else
                            "individual" if _PERSON_SECTION.match(sub) else kind)
                    rest = lines[number + 1:]
                    begin((block_index, number))
                    break
                if cue and _ORG_SECTION.match(short) and (active or line.rstrip().endswith(":")
                                                          or block.kind == "heading"):
                    active, kind = True, "organisation"
                    rest = lines[number + 1:]
                    begin((block_index, number))
                    break
                if cue and _PERSON_SECTION.match(short) and (active or block.kind == "heading"
                                                             or line.rstrip().endswith(":")):
                    active, kind = True, "individual"
                    rest = lines[number + 1:]
                    begin((block_index, number))
                    break
                if active:
                    if len(line) > 160 or (block.kind == "heading"):
                        active = False
                        break
                    rest = lines[number:]
                    break
            if active and block.kind == "text":
                for line in rest:
                    if len(line) > 160 or re.search(r"[.!?]$", line) and len(line.split()) > 8:
                        active = False
                        break
                    found.append(split_endorsement(line, kind))
        elif active and block.kind == "list":
            found += [split_endorsement(item, kind) for item in block.items]
        elif active and block.kind == "table":
            found += _table_endorsements(block, kind)
        elif block.kind == "table" and block.rows and any(
                re.search(r"organi[sz]ation", c, re.I) for c in block.rows[0]) and any(
                re.search(r"name|nombre|nom\b", c, re.I) for c in block.rows[0]):
            begin((block_index, 0))
            found += _table_endorsements(block, None)
    address_cells = sum(1 for e in found if e.had_address)
    found = [e for e in found if e.name]
    return found, (start if found else None), address_cells


def stated_count(text: str) -> str | None:
    """The number of signatories the page states: 'endorsed by 45 organisations' -> '45',
    'signed by more than 90 groups' -> '>90'."""
    for pattern, form in _STATED:
        match = pattern.search(text)
        if not match:
            continue
        if form == "sum":
            return str(int(match.group(1)) + int(match.group(2)))
        if form == "count":
            return match.group(1)
        qualifier, number = match.group(1), match.group(2).replace(",", "")
        return f">{number}" if qualifier and _MORE_THAN.fullmatch(qualifier.strip()) else number
    return None


def find_addressee(doc: Document) -> str | None:
    """Who the statement is addressed to, when its opening lines say so."""
    lines = [line for block in doc.blocks[:6] if block.kind == "text" for line in block.lines]
    for line in lines[:4]:
        if line.lower().startswith(("your excellency", "your excellencies", "excellencies")):
            names = [n.strip(" ,.") for n in re.split(r"your excellenc(?:y|ies),?", line,
                                                      flags=re.IGNORECASE) if n.strip(" ,.")]
            return "; ".join(names) or None
        if len(line) > 200:
            continue
        for pattern in _ADDRESSEE:
            match = pattern.match(line)
            if match:
                return match.group(1).strip(" ,:") or None
    return None


def _marker(doc: Document, start: tuple[int, int]) -> str:
    """The words the endorsement list begins with, to cut the page's HTML at the same place."""
    block = doc.blocks[start[0]]
    if block.kind == "table":
        return next((c for c in block.rows[0] if c), "") if block.rows else ""
    if block.kind == "list":
        return block.items[start[1]] if start[1] < len(block.items) else ""
    lines = [block.text] if block.kind == "heading" else block.lines
    return lines[start[1]] if start[1] < len(lines) else ""


def parse_statement(url: str, html: str | bytes | Document) -> ParsedStatement:
    """Everything a statement page gives; what it lacks is listed in `problems`."""
    doc = html if isinstance(html, Document) else read_document(decode_body(html))
    endorsements, start, address_cells = read_endorsements(doc)
    full_text = doc.text
    text, content_html = full_text, doc.content_html
    if start is not None:
        # The statement's words end where its endorsement list begins: the list is in
        # signatories, not in the text a reader searches.
        text = doc.text_before(*start)
        content_html = html_before(content_html, _marker(doc, start))
    title = page_title(doc)
    statement = ParsedStatement(
        title=redact(title),
        date=published(doc),
        addressee=redact(find_addressee(doc)),
        text=redact(text),
        text_html=sanitise_html(content_html, base_url=url),
        endorsements=endorsements,
        stated_count=stated_count(full_text),
        lang=detect_language(f"{title or ''}\n{text[:1000]}", url, doc.lang),
        address_cells=address_cells,
    )
    if not statement.title:
        statement.problems.append("no title")
    if statement.date is None:
        statement.problems.append("no date")
    return statement

-- The mailing list (issue 6): what the list reader adds to the core schema.
-- Privacy: no column here or in `messages` holds an e-mail address, clear or obfuscated.
-- People are known by a display name, a pseudonymous author_id, salted address hashes
-- (the salt is local and never committed) and the registrable domain.

ALTER TABLE messages ADD COLUMN date_source VARCHAR;        -- date-header | date-header-lenient | mbox-from-line | html-page
ALTER TABLE messages ADD COLUMN body_chars INTEGER;         -- length of the author's text (attachment notices stripped)
ALTER TABLE messages ADD COLUMN text VARCHAR;              -- the author's own words (scrapers/parse/message_text.py): no quotes, signature, footer or address
ALTER TABLE messages ADD COLUMN address_hash VARCHAR;       -- salted hash of the sender address ('addr:...')
ALTER TABLE messages ADD COLUMN reply_source VARCHAR;       -- how in_reply_to was found: in-reply-to | references | subject
ALTER TABLE messages ADD COLUMN message_id_derived BOOLEAN; -- true when the message had no Message-ID
ALTER TABLE messages ADD COLUMN attachments_scrubbed INTEGER;  -- attachments pipermail had scrubbed from the message
ALTER TABLE messages ADD COLUMN text_cut BOOLEAN;          -- true when the text reached the 1 MB cap and was cut (ingest_notes counts them)

CREATE TABLE people (
    author_id     VARCHAR PRIMARY KEY,  -- pseudonym (messages.author_id)
    display_name  VARCHAR,              -- NULL for people who opted out
    n_addresses   INTEGER NOT NULL,     -- how many distinct (hashed) addresses were merged
    n_names       INTEGER NOT NULL,     -- how many name spellings
    n_messages    INTEGER NOT NULL,     -- messages loaded from this person
    first_month   VARCHAR,              -- 'YYYY-MM' of the first message
    last_month    VARCHAR,              -- 'YYYY-MM' of the last message
    domain        VARCHAR,              -- the domain they wrote from most often
    merged_by     VARCHAR NOT NULL,     -- the rules that made this person: 'single address', 'same name', ...
    opted_out     BOOLEAN NOT NULL      -- listed in the local opt-out file: left out of per-person views
);

-- Why addresses were joined into one person: one row per join a reviewer can check.
CREATE TABLE person_merges (
    author_id     VARCHAR NOT NULL,     -- the merged person (people.author_id)
    member        VARCHAR NOT NULL,     -- 'addr:<salted hash>' or 'name:<hash>', never an address
    other_member  VARCHAR NOT NULL,     -- the member it was joined with
    rule          VARCHAR NOT NULL,     -- same name | override
    evidence      VARCHAR NOT NULL      -- what a reviewer can check (the shared name, the override line)
);

CREATE TABLE person_members (
    author_id  VARCHAR NOT NULL,        -- the person (people.author_id)
    member     VARCHAR NOT NULL,        -- 'addr:<salted hash>' or 'name:<hash>'
    domain     VARCHAR,                 -- registrable domain of that address
    n_messages INTEGER NOT NULL         -- messages sent from it
);

-- Registrable sender domains, with the organisation and sector data/domains.csv gives
-- (unknown domains keep the domain as their organisation, and no sector).
CREATE TABLE domains (
    domain        VARCHAR PRIMARY KEY,  -- registrable domain (public-suffix rules)
    organisation  VARCHAR NOT NULL,     -- from data/domains.csv, else the domain itself
    sector        VARCHAR,              -- from data/domains.csv, when known
    n_messages    INTEGER NOT NULL,     -- messages sent from the domain
    n_posters     INTEGER NOT NULL,     -- distinct people who wrote from it
    source_url    VARCHAR,             -- the page that supports the organisation, when curated
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'parsed'))
);

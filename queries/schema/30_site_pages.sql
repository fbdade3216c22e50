-- Parsed site pages (issue 5): what every stored capture of bestbits.net is, which event or
-- statement it belongs to, the files the site held, and where parsed and curated values differ.

-- One row per stored capture: its kind, the cue that decided it, and what became of it.
CREATE TABLE page_classes (
    url         VARCHAR NOT NULL,      -- the original address that was archived
    timestamp   VARCHAR NOT NULL,      -- the archive's 14-digit capture time (UTC)
    status      VARCHAR,               -- HTTP status the archive recorded
    mime        VARCHAR,               -- media type the archive recorded
    page_kind   VARCHAR NOT NULL,      -- event | statement | report | background_paper | listing
                                       -- | wiki | home | other | redirect | error | document
    reason      VARCHAR,               -- the cue: "category 'Statements'", "status 301" ...
    lang        VARCHAR,               -- 'es' for /es/ addresses, NULL for the default language
    item_type   VARCHAR,               -- event | statement | document, when it belongs to an item
    item_id     VARCHAR,               -- the event or statement it became part of
    outcome     VARCHAR NOT NULL,      -- 'loaded', 'recorded' (not content), or 'rejected: <reason>'
    replay_url  VARCHAR NOT NULL       -- an address a person can open to see the capture
);

-- Every capture of an event or statement, the preferred one marked: one item, many captures.
CREATE TABLE item_captures (
    item_type   VARCHAR NOT NULL,      -- event | statement
    item_id     VARCHAR NOT NULL,      -- its id in events or statements
    url         VARCHAR NOT NULL,      -- the original address that was archived
    timestamp   VARCHAR NOT NULL,      -- the archive's 14-digit capture time (UTC)
    lang        VARCHAR,               -- language prefix of the address ('es', 'fr'), if any
    preferred   BOOLEAN NOT NULL,      -- the most complete capture, whose values were kept
    outcome     VARCHAR NOT NULL,      -- what the build did with this capture
    replay_url  VARCHAR NOT NULL       -- an address a person can open to see the capture
);

-- Files (PDFs, office documents) and the site's report and background-paper pages.
CREATE TABLE documents (
    url          VARCHAR NOT NULL,     -- the original address
    timestamp    VARCHAR NOT NULL,     -- the capture kept (the latest)
    kind         VARCHAR NOT NULL,     -- file | report | background_paper
    mime         VARCHAR,              -- media type the archive recorded
    status       VARCHAR,              -- HTTP status the archive recorded
    title        VARCHAR,              -- the page title, or the file name for files
    date         DATE,                 -- the page's date, when it gives the day
    date_month   VARCHAR,              -- 'YYYY-MM', kept when the day is not known
    captures     INTEGER NOT NULL,     -- how many captures of this address the store holds
    stored_at    VARCHAR,              -- where the raw copy is kept: 'file.warc.gz#offset'
    replay_url   VARCHAR NOT NULL,     -- an address a person can open to see the capture
    source_url   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

-- Where a parsed value and the curated value of the same item differ; the curated value is
-- the one kept in events/statements. curated_value NULL: the curated record is silent there.
CREATE TABLE parsed_vs_curated (
    item_type      VARCHAR NOT NULL,   -- event | statement
    item_id        VARCHAR NOT NULL,   -- its id in events or statements
    field          VARCHAR NOT NULL,   -- the column that differs
    parsed_value   VARCHAR,            -- what the archived page says
    curated_value  VARCHAR,            -- what the curated record says (the value kept)
    source_url     VARCHAR NOT NULL    -- the capture the parsed value came from
);

ALTER TABLE events ADD COLUMN start_time VARCHAR;          -- 'HH:MM' local, when the page gives it
ALTER TABLE events ADD COLUMN end_time VARCHAR;            -- 'HH:MM' local, when the page gives it
ALTER TABLE statements ADD COLUMN stated_signatory_count VARCHAR;   -- 'endorsed by 45 ...' -> '45'
ALTER TABLE statements ADD COLUMN parsed_signatory_count INTEGER;   -- endorsements read from the page
ALTER TABLE statements ADD COLUMN text_source_url VARCHAR;  -- the capture text/text_html came from (curated rows)

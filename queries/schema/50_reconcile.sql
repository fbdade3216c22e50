-- Reconciling the archived site with the curated record (issue 11): languages, the archived
-- copy beside the curated source, what a parsed page filled or refined, the matches too close
-- to call, and how each endorser's kind was told.

ALTER TABLE events ADD COLUMN lang VARCHAR;           -- 'en', 'es', 'fr', 'pt': address prefix, <html lang>, or detected
ALTER TABLE statements ADD COLUMN lang VARCHAR;       -- as events.lang
ALTER TABLE messages ADD COLUMN lang VARCHAR;         -- as events.lang (filled by the list ingest)
ALTER TABLE events ADD COLUMN archived_url VARCHAR;       -- an archived version of source_url a person can open: its memento, else the Wayback Machine's address for the row's date, resolved to the nearest capture (61_archived_links.sql)
ALTER TABLE statements ADD COLUMN archived_url VARCHAR;   -- as events.archived_url
ALTER TABLE agenda_items ADD COLUMN archived_url VARCHAR; -- as events.archived_url (dated by the event)
ALTER TABLE statements ADD COLUMN parsed_organisations INTEGER;  -- endorsers read as organisations
ALTER TABLE statements ADD COLUMN parsed_individuals INTEGER;    -- endorsers read as individuals
ALTER TABLE signatories ADD COLUMN kind_basis VARCHAR;  -- what told the kind: section | table | line | known organisation | words

-- Every value a parsed page added to a curated row: a field the curated record left empty
-- (fill), or a more precise value that agrees with the curated one (refine: a day inside the
-- curated month, times for agenda sessions, sessions beside the curated ones).
CREATE TABLE reconcile_changes (
    item_type           VARCHAR NOT NULL,   -- event | statement
    item_id             VARCHAR NOT NULL,   -- its id in events or statements
    field               VARCHAR NOT NULL,   -- the column, or 'agenda item N' for a session
    change              VARCHAR NOT NULL CHECK (change IN ('fill', 'refine')),  -- fill (curated empty) or refine (more precise, agreeing)
    curated_value       VARCHAR,            -- what the curated record said (NULL: nothing)
    parsed_value        VARCHAR NOT NULL,   -- what the archived page says (the value now kept)
    curated_source_url  VARCHAR NOT NULL,   -- the curated row's source
    parsed_source_url   VARCHAR NOT NULL    -- the archived capture the value came from
);

-- Every match decided by score (day, place and forum) rather than by address or title and
-- date: merged above the threshold, else listed here instead of being merged or loaded as a
-- second row ('listed': a person decides).
CREATE TABLE match_candidates (
    item_type     VARCHAR NOT NULL,   -- event | statement
    parsed_title  VARCHAR,            -- the title the archived page gives
    parsed_date   VARCHAR,            -- its date as the page gives it ('2015-03-02')
    candidate_id  VARCHAR NOT NULL,   -- the curated row it resembles, or "parsed: <title>" of another parsed event
    score         DOUBLE NOT NULL,    -- 0..1, see bestbits/load/reconcile.py
    evidence      VARCHAR NOT NULL,   -- what agreed: 'same day; same city; forum unknown'
    outcome       VARCHAR NOT NULL,   -- 'listed' (below the merge threshold) | 'merged'
    source_url    VARCHAR NOT NULL    -- the archived capture
);

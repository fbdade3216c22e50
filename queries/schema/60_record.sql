-- A fuller record (issue 17): the statements' summaries written for this project, and the
-- signatories the curated record lists, merged with those the parser reads.

-- One summary per statement, written for this project in its own words from the page it
-- names (never the statement's text): data/reference/statement_summaries.csv.
CREATE TABLE statement_summaries (
    statement_id    VARCHAR PRIMARY KEY,  -- the statement (statements.statement_id)
    summary         VARCHAR NOT NULL,     -- 25 to 60 words written for this archive, not the source's sentences
    topics          VARCHAR NOT NULL,     -- '; '-separated topics (surveillance; human rights; ...)
    max_shared_run  INTEGER NOT NULL,     -- the longest run of words the summary shares with its basis page (under 6)
    source_url      VARCHAR NOT NULL,     -- the page the summary was written from (its basis)
    method          VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

-- Copied from statement_summaries so that statement search finds a statement by a word of its
-- summary or a topic (queries/load/statement_search_index.sql indexes these columns).
ALTER TABLE statements ADD COLUMN summary VARCHAR;  -- the summary written for this archive (statement_summaries), for search
ALTER TABLE statements ADD COLUMN topics VARCHAR;   -- its '; '-separated topics, for search

-- Signatories: one row per signatory per statement, whichever sources list it
-- (bestbits/load/reconcile.py: same_signatory).
ALTER TABLE signatories ADD COLUMN position INTEGER;  -- order in the list of the source in source_url, when it gives one
ALTER TABLE signatories ADD COLUMN listed_by VARCHAR;  -- every source that lists it, '; '-separated: curated list | curated notable | parsed page
ALTER TABLE signatories ADD COLUMN other_source_urls VARCHAR;  -- the other sources that list it, '; '-separated (source_url holds the first)

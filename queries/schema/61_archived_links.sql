-- A link to an archived version on every fact row (issue 17): the Robust Links columns.
-- The archived version of each row's source_url (bestbits/links.py, filled by
-- bestbits/load/archived_links.py): what a person clicks, its date, and whether it is a
-- memento of known time or the Wayback Machine's address for the row's date. events,
-- statements and agenda_items have archived_url already (50_reconcile.sql); statement_summaries
-- is in 60_record.sql.
ALTER TABLE events ADD COLUMN archived_at VARCHAR;  -- the version's date: the capture's day for a memento, else the date asked of the archive ('YYYY-MM-DD', 'YYYY-MM' or 'YYYY')
ALTER TABLE events ADD COLUMN archived_match VARCHAR;  -- exact (a memento of known capture time) or nearest (the archive's nearest capture to archived_at)
ALTER TABLE events ADD COLUMN archived_local VARCHAR;  -- where the capture is kept in this data folder's WARC files ('raw/site/x.warc.gz#offset'), when it is
ALTER TABLE statements ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE statements ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE statements ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE agenda_items ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE agenda_items ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE agenda_items ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE signatories ADD COLUMN archived_url VARCHAR;  -- as events.archived_url (dated by the statement)
ALTER TABLE signatories ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE signatories ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE signatories ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE messages ADD COLUMN archived_url VARCHAR;  -- as events.archived_url, for the message's page (url) when it has one, else source_url
ALTER TABLE messages ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE messages ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE messages ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE forum_meetings ADD COLUMN archived_url VARCHAR;  -- as events.archived_url
ALTER TABLE forum_meetings ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE forum_meetings ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE forum_meetings ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE milestones ADD COLUMN archived_url VARCHAR;  -- as events.archived_url
ALTER TABLE milestones ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE milestones ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE milestones ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE archives ADD COLUMN archived_url VARCHAR;  -- as events.archived_url (dated by last_month_seen)
ALTER TABLE archives ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE archives ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE archives ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE documents ADD COLUMN archived_url VARCHAR;  -- as events.archived_url
ALTER TABLE documents ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE documents ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE documents ADD COLUMN archived_local VARCHAR;  -- as events.archived_local
ALTER TABLE statement_summaries ADD COLUMN archived_url VARCHAR;  -- as events.archived_url, for the basis page (dated by the statement)
ALTER TABLE statement_summaries ADD COLUMN archived_at VARCHAR;  -- as events.archived_at
ALTER TABLE statement_summaries ADD COLUMN archived_match VARCHAR;  -- as events.archived_match
ALTER TABLE statement_summaries ADD COLUMN archived_local VARCHAR;  -- as events.archived_local

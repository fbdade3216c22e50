-- The core schema: the contract that collectors, parsers, queries and dashboards rely on.
-- Files in queries/schema/ run in name order on an empty database at every build;
-- later files may add tables and columns (ALTER TABLE ... ADD COLUMN), never rename these.
--
-- Dates: a *_date column holds a day only when the source gives the day. When only the month
-- is known it stays NULL and the companion *_month column ('YYYY-MM') keeps the month;
-- *_year is filled whenever the year is known. No day is ever invented.
-- Every fact row carries source_url (an address a person can open) and
-- method ('curated', 'scraped' or 'parsed').

CREATE TABLE forums (
    forum       VARCHAR PRIMARY KEY,   -- short code: IGF, NETmundial, WSIS+10, UNESCO, ITU, HRC, ICANN, other
    name        VARCHAR NOT NULL,  -- full name of the forum
    kind        VARCHAR NOT NULL,  -- what sort of body or process it is
    sort_order  INTEGER NOT NULL  -- order of legends and selectors (the four dashboard forums first)
);

CREATE TABLE events (
    event_id        VARCHAR PRIMARY KEY,  -- stable identifier (curated ids like bb2013-bali)
    title           VARCHAR NOT NULL,  -- the event's title as the source gives it
    start_date      DATE,  -- first day, when the source gives the day
    start_month     VARCHAR,           -- 'YYYY-MM', kept when the day is not known
    start_year      INTEGER,  -- year of the start
    end_date        DATE,  -- last day, when the source gives the day
    end_month       VARCHAR,  -- 'YYYY-MM' of the end
    city            VARCHAR,  -- city, as the source gives it
    country         VARCHAR,  -- country, as the source gives it
    venue           VARCHAR,  -- venue or 'online'
    forum           VARCHAR,           -- the item's primary forum (curated value wins over rules)
    kind            VARCHAR,  -- annual meeting, side meeting, pre-event, coordination meeting, conference, other
    organisers      VARCHAR,  -- who organised it, as the source says
    url             VARCHAR,           -- the event's own page on bestbits.net, where known
    notes           VARCHAR,  -- the curator's notes: what the source says and what is uncertain
    source_url      VARCHAR NOT NULL,
    method          VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE agenda_items (
    event_id     VARCHAR NOT NULL,  -- the event (events.event_id)
    position     INTEGER NOT NULL,  -- order of the session within the event
    day          VARCHAR,              -- as the source gives it ('2014-08-31', '2013-10-19/20 (...)')
    start_time   VARCHAR,              -- 'HH:MM' local time
    end_time     VARCHAR,  -- 'HH:MM' local time
    title        VARCHAR NOT NULL,  -- the session's title
    moderators   VARCHAR,              -- '; '-separated names
    source_url   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE statements (
    statement_id        VARCHAR PRIMARY KEY,  -- stable identifier
    title               VARCHAR NOT NULL,  -- the statement's title as published
    date                DATE,  -- date of publication or submission, when the day is known
    date_month          VARCHAR,  -- 'YYYY-MM', kept when the day is not known
    date_year           INTEGER,  -- year
    forum               VARCHAR,  -- primary forum the statement addresses (curated value wins over rules)
    addressee           VARCHAR,  -- to whom it was addressed
    url                 VARCHAR,       -- the statement's page on bestbits.net, where known
    text                VARCHAR,       -- plain text (for search); sanitised HTML lives in text_html
    text_html           VARCHAR,       -- sanitised HTML, safe to display
    signatory_count     VARCHAR,       -- as the page states it: '>90', '53', ...
    link_to_best_bits   VARCHAR,       -- platform | circulated | coalition | unconfirmed
    notes               VARCHAR,  -- the curator's notes
    source_url          VARCHAR NOT NULL,
    method              VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE signatories (
    statement_id  VARCHAR NOT NULL,  -- the statement (statements.statement_id)
    name          VARCHAR NOT NULL,  -- the signatory as listed (organisation or person)
    organisation  VARCHAR,  -- organisation of an individual signatory, where given
    country       VARCHAR,  -- country, where given
    kind          VARCHAR,             -- organisation | individual | NULL when the source does not say
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE messages (
    message_id    VARCHAR PRIMARY KEY,  -- the Message-ID (or a stable derived id); curated sample rows: curated:<list>/<month>/<n>.html
    list          VARCHAR NOT NULL,  -- the mailing list (bestbits, governance, ...)
    sent_at       TIMESTAMP,           -- UTC
    sent_month    VARCHAR,             -- 'YYYY-MM' (UTC), kept when only the month is known
    author_id     VARCHAR,             -- pseudonym: never an address
    author_name   VARCHAR,  -- display name of the sender
    domain        VARCHAR,             -- registrable domain of the sender, for affiliation
    subject       VARCHAR,  -- subject line
    thread_id     VARCHAR,  -- the thread the message belongs to
    in_reply_to   VARCHAR,  -- message_id of the message it answers, when known
    url           VARCHAR,  -- the message page in the pipermail archive, when known
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE captures (
    url         VARCHAR NOT NULL,      -- the original address that was archived
    timestamp   VARCHAR NOT NULL,      -- the archive's 14-digit capture time (UTC)
    status      VARCHAR,  -- HTTP status the archive recorded
    mime        VARCHAR,  -- media type the archive recorded
    digest      VARCHAR,  -- content digest the archive recorded (SHA-1, base32)
    archive     VARCHAR NOT NULL,      -- the archive it came from (root address)
    stored_at   VARCHAR                -- where the raw copy is kept: 'file.warc.gz#offset'
);

CREATE TABLE forum_mentions (
    item_type  VARCHAR NOT NULL,       -- event | statement | message | forum_meeting | milestone
    item_id    VARCHAR NOT NULL,  -- id of the item in its table
    forum      VARCHAR NOT NULL,  -- forum code (forums.forum)
    evidence   VARCHAR NOT NULL,       -- what matched and where: "title: 'IGF'"
    source     VARCHAR NOT NULL        -- curated | rules
);

CREATE TABLE forum_meetings (
    meeting_id   VARCHAR PRIMARY KEY,  -- stable identifier
    forum        VARCHAR NOT NULL,  -- forum code (forums.forum)
    title        VARCHAR NOT NULL,  -- the meeting or decision
    start_date   DATE,  -- first day
    end_date     DATE,  -- last day
    city         VARCHAR,  -- city
    country      VARCHAR,  -- country
    notes        VARCHAR,  -- the curator's notes
    source_url   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE milestones (
    milestone_id  VARCHAR PRIMARY KEY,  -- identifier in file order (milestone-NNN)
    date          DATE,  -- the day, when known
    date_month    VARCHAR,  -- 'YYYY-MM', kept when the day is not known
    date_year     INTEGER,  -- year
    title         VARCHAR NOT NULL,  -- what happened
    kind          VARCHAR,  -- founding, meeting, governance, decline, closure
    notes         VARCHAR,  -- the curator's notes
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE archives (
    archive_id                   VARCHAR PRIMARY KEY,  -- identifier
    url                          VARCHAR NOT NULL,  -- where the archive is (or was)
    kind                         VARCHAR,  -- what sort of archive
    first_month                  VARCHAR,  -- first month (or year) it covers
    last_month_seen              VARCHAR,  -- last month seen
    highest_message_number_seen  INTEGER,  -- highest pipermail message number seen
    notes                        VARCHAR,  -- quirks a reader must know
    source_url                   VARCHAR NOT NULL,
    method                       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

-- Every input the build reads is accounted for: loaded + rejected = total.
CREATE TABLE ingest_report (
    source    VARCHAR NOT NULL,        -- file or capture, relative to the data folder or repository
    stage     VARCHAR NOT NULL,        -- curated | captures | site | list | ...
    total     INTEGER NOT NULL,  -- items found in the input
    loaded    INTEGER NOT NULL,  -- items loaded
    rejected  INTEGER NOT NULL,  -- items left out (each with a reason in rejects)
    CHECK (loaded + rejected = total)
);

CREATE TABLE rejects (
    source   VARCHAR NOT NULL,  -- the input file or capture
    locator  VARCHAR NOT NULL,         -- line, record offset, message number ...
    stage    VARCHAR NOT NULL,  -- which reader left it out
    reason   VARCHAR NOT NULL  -- why
);

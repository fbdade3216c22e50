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
    name        VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE TABLE events (
    event_id        VARCHAR PRIMARY KEY,
    title           VARCHAR NOT NULL,
    start_date      DATE,
    start_month     VARCHAR,           -- 'YYYY-MM', kept when the day is not known
    start_year      INTEGER,
    end_date        DATE,
    end_month       VARCHAR,
    city            VARCHAR,
    country         VARCHAR,
    venue           VARCHAR,
    forum           VARCHAR,           -- the item's primary forum (curated value wins over rules)
    kind            VARCHAR,
    organisers      VARCHAR,
    url             VARCHAR,           -- the event's own page on bestbits.net, where known
    notes           VARCHAR,
    source_url      VARCHAR NOT NULL,
    method          VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE agenda_items (
    event_id     VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    day          VARCHAR,              -- as the source gives it ('2014-08-31', '2013-10-19/20 (...)')
    start_time   VARCHAR,              -- 'HH:MM' local time
    end_time     VARCHAR,
    title        VARCHAR NOT NULL,
    moderators   VARCHAR,              -- '; '-separated names
    source_url   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE statements (
    statement_id        VARCHAR PRIMARY KEY,
    title               VARCHAR NOT NULL,
    date                DATE,
    date_month          VARCHAR,
    date_year           INTEGER,
    forum               VARCHAR,
    addressee           VARCHAR,
    url                 VARCHAR,       -- the statement's page on bestbits.net, where known
    text                VARCHAR,       -- plain text (for search); sanitised HTML lives in text_html
    text_html           VARCHAR,       -- sanitised HTML, safe to display
    signatory_count     VARCHAR,       -- as the page states it: '>90', '53', ...
    link_to_best_bits   VARCHAR,       -- platform | circulated | coalition | unconfirmed
    notes               VARCHAR,
    source_url          VARCHAR NOT NULL,
    method              VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE signatories (
    statement_id  VARCHAR NOT NULL,
    name          VARCHAR NOT NULL,
    organisation  VARCHAR,
    country       VARCHAR,
    kind          VARCHAR,             -- organisation | individual | NULL when the source does not say
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE messages (
    message_id    VARCHAR PRIMARY KEY,
    list          VARCHAR NOT NULL,
    sent_at       TIMESTAMP,           -- UTC
    sent_month    VARCHAR,             -- 'YYYY-MM' (UTC), kept when only the month is known
    author_id     VARCHAR,             -- pseudonym: never an address
    author_name   VARCHAR,
    domain        VARCHAR,             -- registrable domain of the sender, for affiliation
    subject       VARCHAR,
    thread_id     VARCHAR,
    in_reply_to   VARCHAR,
    url           VARCHAR,
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE captures (
    url         VARCHAR NOT NULL,      -- the original address that was archived
    timestamp   VARCHAR NOT NULL,      -- the archive's 14-digit capture time (UTC)
    status      VARCHAR,
    mime        VARCHAR,
    digest      VARCHAR,
    archive     VARCHAR NOT NULL,      -- the archive it came from (root address)
    stored_at   VARCHAR                -- where the raw copy is kept: 'file.warc.gz#offset'
);

CREATE TABLE forum_mentions (
    item_type  VARCHAR NOT NULL,       -- event | statement | message | forum_meeting | milestone
    item_id    VARCHAR NOT NULL,
    forum      VARCHAR NOT NULL,
    evidence   VARCHAR NOT NULL,       -- what matched and where: "title: 'IGF'"
    source     VARCHAR NOT NULL        -- curated | rules
);

CREATE TABLE forum_meetings (
    meeting_id   VARCHAR PRIMARY KEY,
    forum        VARCHAR NOT NULL,
    title        VARCHAR NOT NULL,
    start_date   DATE,
    end_date     DATE,
    city         VARCHAR,
    country      VARCHAR,
    notes        VARCHAR,
    source_url   VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE milestones (
    milestone_id  VARCHAR PRIMARY KEY,
    date          DATE,
    date_month    VARCHAR,
    date_year     INTEGER,
    title         VARCHAR NOT NULL,
    kind          VARCHAR,
    notes         VARCHAR,
    source_url    VARCHAR NOT NULL,
    method        VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

CREATE TABLE archives (
    archive_id                   VARCHAR PRIMARY KEY,
    url                          VARCHAR NOT NULL,
    kind                         VARCHAR,
    first_month                  VARCHAR,
    last_month_seen              VARCHAR,
    highest_message_number_seen  INTEGER,
    notes                        VARCHAR,
    source_url                   VARCHAR NOT NULL,
    method                       VARCHAR NOT NULL CHECK (method IN ('curated', 'scraped', 'parsed'))
);

-- Every input the build reads is accounted for: loaded + rejected = total.
CREATE TABLE ingest_report (
    source    VARCHAR NOT NULL,        -- file or capture, relative to the data folder or repository
    stage     VARCHAR NOT NULL,        -- curated | captures | site | list | ...
    total     INTEGER NOT NULL,
    loaded    INTEGER NOT NULL,
    rejected  INTEGER NOT NULL,
    CHECK (loaded + rejected = total)
);

CREATE TABLE rejects (
    source   VARCHAR NOT NULL,
    locator  VARCHAR NOT NULL,         -- line, record offset, message number ...
    stage    VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL
);

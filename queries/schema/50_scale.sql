-- Streaming ingest and incremental rebuilds (issue 10).
-- The list reader parses each raw input into the list_parsed_* tables (one row per message as
-- the file gives it, duplicates included), then resolves duplicates, threads and people in SQL
-- into messages / people / domains. A later build reuses the parsed rows of every input whose
-- content hash (and parser fingerprint) is unchanged, and re-reads only the others.
-- Privacy: `member` is a salted address hash ('addr:...') or a salted name key ('name:...');
-- every text passed the privacy gate; no row of an opted-out person is kept after a build.

-- Every raw input the build read (list months, mbox files, HTML months, WARCs, capture
-- indexes), with its content hash: what an incremental build compares.
CREATE TABLE build_inputs (
    path          VARCHAR PRIMARY KEY,  -- relative to the data folder
    kind          VARCHAR NOT NULL,     -- list-mbox | list-html | warc | other
    bytes         BIGINT NOT NULL,      -- size of the input in bytes
    content_hash  VARCHAR NOT NULL,     -- sha256 of the bytes (of the pages, for an HTML month)
    reused        BOOLEAN NOT NULL,     -- true when the previous build's parsed rows were reused
    changed       BOOLEAN               -- new, or another hash than in the previous build
);

CREATE TABLE list_inputs (
    source        VARCHAR PRIMARY KEY,  -- the file (or HTML month folder), relative to the data folder
    list          VARCHAR NOT NULL,           -- the list's name
    input_no      INTEGER NOT NULL,     -- reading order: the first copy of a duplicate wins
    content_hash  VARCHAR NOT NULL,           -- sha256 of the input's bytes and addresses
    fingerprint   VARCHAR NOT NULL,     -- parser code, forum rules and salt the rows were made with
    source_url    VARCHAR,              -- the address the file was fetched from, when known
    month_hint    VARCHAR,              -- 'YYYY-MM' of a monthly file, for messages without a date
    rows_kept     BOOLEAN NOT NULL DEFAULT true  -- false: its parsed rows were not kept (it holds an opted-out person's messages), so the next build reads it again
);

CREATE TABLE list_parsed (
    source              VARCHAR NOT NULL,  -- list_inputs.source
    position            INTEGER NOT NULL,  -- the item's number in its input (1, 2, ...)
    locator             VARCHAR NOT NULL,     -- where in the input: 'message 12 (byte 34567)' or the page name
    message_id          VARCHAR NOT NULL,     -- pseudonymous key ('msg:...' or 'derived:...')
    message_id_derived  BOOLEAN,              -- true when the message had no Message-ID
    sent_at             TIMESTAMP,            -- naive UTC
    sent_month          VARCHAR,              -- 'YYYY-MM' (from sent_at, else the file's month)
    date_source         VARCHAR,              -- where the date came from (messages.date_source)
    author_name         VARCHAR,              -- display name as written (through the privacy gate)
    member              VARCHAR NOT NULL,  -- 'addr:<salted hash>' or 'name:<hash>'
    domain              VARCHAR,              -- registrable domain of the sender address
    subject             VARCHAR,              -- subject (through the privacy gate; NULL when an opt-out withholds it)
    base_subject        VARCHAR NOT NULL,  -- keyed hash of scrapers.parse.mbox.base_subject, for threading ('' when none)
    reply_subject       BOOLEAN NOT NULL,  -- the subject says "Re:"
    header_in_reply_to  VARCHAR,           -- key of the parent the In-Reply-To header names
    refs_first          VARCHAR,           -- oldest key in References
    refs_last           VARCHAR,           -- newest key in References
    n_refs              INTEGER NOT NULL,     -- how many keys References holds
    url                 VARCHAR,              -- the message's own archived page, when parsed from one
    source_url          VARCHAR,              -- the archived file the message came from
    body_chars          INTEGER,              -- length of the author's text
    text                VARCHAR,              -- scrapers.parse.message_text.clean_message_text of the body
    lang                VARCHAR,              -- scrapers.parse.language.language_of_text of that text
    attachments_scrubbed INTEGER,             -- attachments pipermail had scrubbed
    text_cut            BOOLEAN               -- the text reached the cap and was cut (messages.text_cut)
);

CREATE TABLE list_parsed_mentions (
    source    VARCHAR NOT NULL,               -- list_inputs.source
    position  INTEGER NOT NULL,               -- list_parsed.position
    forum     VARCHAR NOT NULL,               -- forum code (forums.forum)
    evidence  VARCHAR NOT NULL                -- what matched: "body: 'IGF'"
);

CREATE TABLE list_parse_rejects (
    source    VARCHAR NOT NULL,               -- list_inputs.source
    position  INTEGER NOT NULL,               -- the item's number in its input
    locator   VARCHAR NOT NULL,               -- where in the input
    reason    VARCHAR NOT NULL                -- why it was left out
);

-- Participation figures precomputed at build time from the parsed messages, so that every
-- dashboard query aggregates a few thousand rows with its bound filters, not the archive.
-- `list` is NULL in the rows that count every list together.
CREATE TABLE list_months (
    list      VARCHAR,                 -- the list; NULL: every list
    month     VARCHAR NOT NULL,        -- 'YYYY-MM'
    messages  INTEGER NOT NULL,               -- messages that month
    posters   INTEGER NOT NULL         -- distinct people
);

CREATE TABLE list_activity (
    list         VARCHAR,              -- the list; NULL: every list
    year         INTEGER NOT NULL,            -- year of the messages
    author_id    VARCHAR NOT NULL,     -- people.author_id
    domain       VARCHAR,              -- the sender domain of these messages
    messages     INTEGER NOT NULL,            -- messages of this person from this domain that year
    first_month  VARCHAR NOT NULL,            -- 'YYYY-MM' of the first of them
    last_month   VARCHAR NOT NULL             -- 'YYYY-MM' of the last
);

CREATE TABLE list_reply_pairs (
    list           VARCHAR,            -- the list of the reply; NULL: every list
    year           INTEGER NOT NULL,   -- the year of the reply
    source_id      VARCHAR NOT NULL,   -- who replied (people.author_id)
    target_id      VARCHAR NOT NULL,   -- to whom
    source_domain  VARCHAR,                   -- the replier's sender domain
    target_domain  VARCHAR,                   -- the sender domain replied to
    replies        INTEGER NOT NULL           -- how many replies
);

CREATE TABLE list_threads (
    list           VARCHAR,            -- the list; NULL: every list
    thread_id      VARCHAR NOT NULL,          -- messages.thread_id
    year           INTEGER NOT NULL,   -- the year of its first message
    subject        VARCHAR,            -- the first message's subject
    messages       INTEGER NOT NULL,          -- messages in the thread
    posters        INTEGER NOT NULL,          -- distinct people in the thread
    first_message  TIMESTAMP NOT NULL,        -- when its first message was sent
    last_message   TIMESTAMP NOT NULL,        -- when its last message was sent
    first_url      VARCHAR             -- the first message's archived page
);

CREATE TABLE list_forum_months (
    list        VARCHAR,               -- the list; NULL: every list
    month       VARCHAR NOT NULL,             -- 'YYYY-MM'
    forum       VARCHAR NOT NULL,             -- forum code (forums.forum)
    messages    INTEGER NOT NULL,      -- messages that mention the forum
    in_subject  INTEGER NOT NULL,             -- of them, mentions in the subject
    in_body     INTEGER NOT NULL              -- of them, mentions in the author's own text
);

-- The list's words (issue 12): themes of messages and statements, and what the search covers.
-- The message text itself is messages.text (40_list.sql); its full-text index
-- is made by the build's search step (bestbits/load/search_index.py).

ALTER TABLE search_capabilities ADD COLUMN message_full_text_search BOOLEAN;  -- true when messages have a full-text (BM25) index

-- The themes of data/theme_rules.toml, in file order.
CREATE TABLE themes (
    theme       VARCHAR PRIMARY KEY,  -- short code: surveillance, iana, net-neutrality, ...
    name        VARCHAR NOT NULL,     -- the theme's name, as the charts show it
    kind        VARCHAR NOT NULL,     -- what the theme covers (help text)
    sort_order  INTEGER NOT NULL      -- order of legends
);

-- Every rule match of a theme, with the words that matched (a reader can check each one).
CREATE TABLE theme_mentions (
    item_type  VARCHAR NOT NULL,      -- message | statement
    item_id    VARCHAR NOT NULL,      -- messages.message_id or statements.statement_id
    theme      VARCHAR NOT NULL,      -- themes.theme
    evidence   VARCHAR NOT NULL       -- what matched and where: "subject: 'surveillance'; text: 'NSA'"
);

-- Whether this database has a full-text index (the build fills it; see bestbits/load/search_index.py).
CREATE TABLE search_capabilities (
    full_text_search  BOOLEAN NOT NULL  -- true when statements have a full-text (BM25) index
);

-- The full-text index made from this database's rows: the folder <database>.search/<token>/
-- beside it (bestbits/search.py). The token is a hash of every indexed row, so an index
-- never describes another database, and a build whose rows are unchanged reuses it.
CREATE TABLE search_index (
    token       VARCHAR NOT NULL,  -- the index folder's name: sha256 of what it indexes
    engine      VARCHAR NOT NULL,  -- tantivy
    version     INTEGER NOT NULL,  -- bestbits.search.INDEX_VERSION
    messages    BIGINT NOT NULL,   -- messages indexed
    statements  BIGINT NOT NULL    -- statements indexed
);

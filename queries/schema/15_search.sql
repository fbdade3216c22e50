-- Whether this database has a full-text index (the build fills it; see bestbits/load/search_index.py).
CREATE TABLE search_capabilities (
    full_text_search  BOOLEAN NOT NULL  -- true when statements have a BM25 index (fts_main_statements)
);

-- Baseline for benchmarks/bench_search.py and tests/test_search_index.py: the BM25 indexes the
-- build made with DuckDB's fts extension before the tantivy index (issue 20). Statements are
-- indexed over the fields the tantivy index reads today (summary and topics came with issue 17's
-- record), so the comparison is of the engines, not of what each was given.
PRAGMA create_fts_index('statements', 'statement_id', 'title', 'addressee', 'text', 'notes',
                        'summary', 'topics',
                        stemmer = 'english', strip_accents = 1, overwrite = 1);
PRAGMA create_fts_index('messages', 'message_id', 'subject', 'text',
                        stemmer = 'english', strip_accents = 1, overwrite = 1);

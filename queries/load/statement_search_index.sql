-- BM25 index over the statements' searchable fields (English stemming, accents folded).
PRAGMA create_fts_index('statements', 'statement_id', 'title', 'addressee', 'text', 'notes',
                        stemmer = 'english', strip_accents = 1, overwrite = 1);

-- BM25 index over the statements' searchable fields, the summaries written for this archive
-- and their topics included (English stemming, accents folded).
PRAGMA create_fts_index('statements', 'statement_id', 'title', 'addressee', 'text', 'notes',
                        'summary', 'topics',
                        stemmer = 'english', strip_accents = 1, overwrite = 1);

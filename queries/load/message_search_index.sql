-- BM25 index over the messages' subjects and own words (English stemming, accents folded).
-- messages.text holds no quoted reply, signature or address (scrapers/parse/message_text.py).
PRAGMA create_fts_index('messages', 'message_id', 'subject', 'text',
                        stemmer = 'english', strip_accents = 1, overwrite = 1);

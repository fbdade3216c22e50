-- Whether the build could make full-text indexes (else the Search page searches literally).
SELECT full_text_search, coalesce(message_full_text_search, false) AS message_full_text_search
FROM search_capabilities;

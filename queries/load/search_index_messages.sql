-- The messages the full-text index holds (bestbits/load/search_index.py), one row each in
-- message_id order (so that a full and an incremental build give the same documents): the
-- columns a hit shows (an opted-out poster's name never: people.opted_out), the thread's first
-- subject and size (for statement_list_context), the year and the forums mentioned (filters),
-- and the words searched: the subject and the author's own words (messages.text, which holds no
-- quote, signature or address).
WITH threads AS (
    SELECT thread_id, arg_min(subject, sent_at) AS thread_subject, count(*) AS thread_messages
    FROM messages WHERE thread_id IS NOT NULL
    GROUP BY thread_id
),
forums AS (
    SELECT item_id AS message_id, list_sort(list_distinct(list(forum))) AS forums
    FROM forum_mentions WHERE item_type = 'message'
    GROUP BY item_id
)
SELECT m.message_id, strftime(m.sent_at, '%Y-%m-%d') AS date, m.sent_month AS month, m.list,
       m.subject, m.author_id,
       CASE WHEN coalesce(p.opted_out, false) THEN NULL ELSE m.author_name END AS author_name,
       m.thread_id, t.thread_subject, t.thread_messages, m.sent_at, m.url, m.source_url,
       m.method, m.text,
       TRY_CAST(left(m.sent_month, 4) AS INTEGER) AS year, coalesce(f.forums, []) AS forums,
       concat_ws(' ', m.subject, m.text) AS words
FROM messages m
LEFT JOIN people p USING (author_id)
LEFT JOIN threads t USING (thread_id)
LEFT JOIN forums f USING (message_id)
ORDER BY m.message_id;

-- The reply network of people in a period: who replied to whom and how often, people with fewer than $min_messages messages merged into one "others" node, opted-out people left out.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages: integer = 5 | the small-cell threshold: people with fewer messages in all are "others"
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
-- Read from the messages rather than list_reply_pairs, which counts by year only: a period may
-- end on a day (before NETmundial). The reply is counted as list_reply_pairs counts it
-- (queries/load/list_summaries.sql): a parsed message answering another person's message.
WITH named AS (
    SELECT author_id,
           coalesce(display_name, 'unnamed poster ' || right(author_id, 6)) AS label,
           n_messages
    FROM people
    WHERE NOT opted_out AND n_messages >= CAST($min_messages AS INTEGER)
),
opted_out AS (SELECT author_id FROM people WHERE opted_out),
replies AS (
    SELECT m.author_id AS source_id, p.author_id AS target_id
    FROM messages m
    JOIN messages p ON p.message_id = m.in_reply_to
    WHERE m.method = 'parsed' AND m.sent_at IS NOT NULL AND m.author_id <> p.author_id
      AND ($list IS NULL OR m.list = $list)
      AND ($from_date IS NULL OR m.sent_at >= CAST($from_date AS DATE))
      AND ($to_date IS NULL OR m.sent_at < CAST($to_date AS DATE) + 1)
      AND m.author_id NOT IN (SELECT author_id FROM opted_out)
      AND p.author_id NOT IN (SELECT author_id FROM opted_out)
)
SELECT coalesce(s.author_id, 'others') AS source, coalesce(t.author_id, 'others') AS target,
       coalesce(s.label, 'others') AS source_label, coalesce(t.label, 'others') AS target_label,
       count(*) AS weight
FROM replies r
LEFT JOIN named s ON s.author_id = r.source_id
LEFT JOIN named t ON t.author_id = r.target_id
GROUP BY ALL
ORDER BY weight DESC, source_label, target_label;

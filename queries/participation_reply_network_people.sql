-- Who answers whom: replies between people with at least $min_messages messages (opted-out people left out).
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages = 5 | only people with at least this many messages (privacy)
-- @param min_replies = 1 | only pairs with at least this many replies
WITH eligible AS (
    SELECT author_id,
           coalesce(display_name, 'unnamed poster ' || right(author_id, 6)) AS display_name
    FROM people
    WHERE NOT opted_out AND n_messages >= CAST($min_messages AS INTEGER)
),
replies AS (
    SELECT m.author_id AS source_id, p.author_id AS target_id
    FROM messages m
    JOIN messages p ON p.message_id = m.in_reply_to
    WHERE m.method = 'parsed' AND m.author_id <> p.author_id
      AND (m.list = $list OR $list IS NULL)
)
SELECT s.display_name AS source, t.display_name AS target, count(*) AS replies,
       r.source_id, r.target_id
FROM replies r
JOIN eligible s ON s.author_id = r.source_id
JOIN eligible t ON t.author_id = r.target_id
GROUP BY ALL
HAVING count(*) >= CAST($min_replies AS INTEGER)
ORDER BY replies DESC, source, target;

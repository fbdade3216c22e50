-- Who answers whom: replies between people with at least $min_messages messages (opted-out people left out); a page of $limit pairs from $offset, with the total.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages: integer = 5 | only people with at least this many messages (privacy)
-- @param min_replies: integer = 1 | only pairs with at least this many replies
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
-- @param limit: integer = 50 | rows in the page
-- @param offset: integer = 0 | rows skipped before the page
WITH eligible AS (
    SELECT author_id,
           coalesce(display_name, 'unnamed poster ' || right(author_id, 6)) AS display_name
    FROM people
    WHERE NOT opted_out AND n_messages >= CAST($min_messages AS INTEGER)
),
pairs AS (
    SELECT source_id, target_id, sum(replies) AS replies
    FROM list_reply_pairs
    WHERE list IS NOT DISTINCT FROM $list
      AND year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
    GROUP BY source_id, target_id
    HAVING sum(replies) >= CAST($min_replies AS INTEGER)
)
SELECT s.display_name AS source, t.display_name AS target, r.replies, r.source_id, r.target_id,
       count(*) OVER () AS total
FROM pairs r
JOIN eligible s ON s.author_id = r.source_id
JOIN eligible t ON t.author_id = r.target_id
ORDER BY r.replies DESC, source, target, r.source_id, r.target_id
LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER);

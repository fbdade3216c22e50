-- Who answers whom, by organisation (sender domain): replies between organisations, and within one.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_replies = 1 | only pairs with at least this many replies
WITH replies AS (
    SELECT m.domain AS source_domain, p.domain AS target_domain
    FROM messages m
    JOIN messages p ON p.message_id = m.in_reply_to
    WHERE m.method = 'parsed' AND m.author_id <> p.author_id
      AND m.domain IS NOT NULL AND p.domain IS NOT NULL
      AND (m.list = $list OR $list IS NULL)
)
SELECT coalesce(ds.organisation, r.source_domain) AS source,
       coalesce(dt.organisation, r.target_domain) AS target,
       count(*) AS replies
FROM replies r
LEFT JOIN domains ds ON ds.domain = r.source_domain
LEFT JOIN domains dt ON dt.domain = r.target_domain
GROUP BY ALL
HAVING count(*) >= CAST($min_replies AS INTEGER)
ORDER BY replies DESC, source, target;

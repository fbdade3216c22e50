-- The reply network of organisations (sender domains) in a period: replies from one to another (or within one), domains with fewer than $min_messages messages merged into one "others" node.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages: integer = 5 | the small-cell threshold: domains with fewer messages in all are "others"
-- @param from_date = | the period's first day (YYYY-MM-DD); empty: no bound
-- @param to_date = | its last day; empty: no bound
-- Counted as network_replies_people.sql counts replies; opted-out people's replies are left out.
WITH named AS (
    SELECT domain, coalesce(organisation, domain) AS label
    FROM domains WHERE n_messages >= CAST($min_messages AS INTEGER)
),
opted_out AS (SELECT author_id FROM people WHERE opted_out),
replies AS (
    SELECT m.domain AS source_domain, p.domain AS target_domain
    FROM messages m
    JOIN messages p ON p.message_id = m.in_reply_to
    WHERE m.method = 'parsed' AND m.sent_at IS NOT NULL AND m.author_id <> p.author_id
      AND m.domain IS NOT NULL AND p.domain IS NOT NULL
      AND ($list IS NULL OR m.list = $list)
      AND ($from_date IS NULL OR m.sent_at >= CAST($from_date AS DATE))
      AND ($to_date IS NULL OR m.sent_at < CAST($to_date AS DATE) + 1)
      AND m.author_id NOT IN (SELECT author_id FROM opted_out)
      AND p.author_id NOT IN (SELECT author_id FROM opted_out)
)
SELECT coalesce(s.domain, 'others') AS source, coalesce(t.domain, 'others') AS target,
       coalesce(s.label, 'others') AS source_label, coalesce(t.label, 'others') AS target_label,
       count(*) AS weight
FROM replies r
LEFT JOIN named s ON s.domain = r.source_domain
LEFT JOIN named t ON t.domain = r.target_domain
GROUP BY ALL
ORDER BY weight DESC, source_label, target_label;

-- The participation tables of queries/schema/50_scale.sql, from the parsed messages: each
-- per list and, with list NULL, for every list together (GROUPING SETS).
INSERT INTO list_months
SELECT list, sent_month, count(*), count(DISTINCT author_id)
FROM messages
WHERE method = 'parsed' AND sent_month IS NOT NULL
GROUP BY GROUPING SETS ((list, sent_month), (sent_month));

INSERT INTO list_activity
SELECT list, year(sent_at), author_id, domain, count(*), min(sent_month), max(sent_month)
FROM messages
WHERE method = 'parsed' AND sent_at IS NOT NULL
GROUP BY GROUPING SETS ((list, year(sent_at), author_id, domain),
                        (year(sent_at), author_id, domain));

INSERT INTO list_reply_pairs
SELECT m.list, year(m.sent_at), m.author_id, p.author_id, m.domain, p.domain, count(*)
FROM messages m
JOIN messages p ON p.message_id = m.in_reply_to
WHERE m.method = 'parsed' AND m.sent_at IS NOT NULL AND m.author_id <> p.author_id
GROUP BY GROUPING SETS ((m.list, year(m.sent_at), m.author_id, p.author_id, m.domain, p.domain),
                        (year(m.sent_at), m.author_id, p.author_id, m.domain, p.domain));

INSERT INTO list_threads
SELECT list, thread_id, year(min(sent_at)), arg_min(subject, sent_at), count(*),
       count(DISTINCT author_id), min(sent_at), max(sent_at),
       arg_min(coalesce(url, source_url), sent_at)
FROM messages
WHERE method = 'parsed' AND sent_at IS NOT NULL AND thread_id IS NOT NULL
GROUP BY GROUPING SETS ((list, thread_id), (thread_id));

INSERT INTO list_forum_months
SELECT m.list, m.sent_month, f.forum, count(DISTINCT m.message_id),
       count(DISTINCT m.message_id) FILTER (WHERE f.evidence LIKE 'subject:%'),
       count(DISTINCT m.message_id) FILTER (WHERE f.evidence LIKE 'body:%')
FROM forum_mentions f
JOIN messages m ON f.item_type = 'message' AND m.message_id = f.item_id
WHERE m.method = 'parsed' AND m.sent_month IS NOT NULL
GROUP BY GROUPING SETS ((m.list, m.sent_month, f.forum), (m.sent_month, f.forum));

-- Curated sample messages that a parsed message repeats (same list, same minute, same subject):
-- the parsed row stays, takes the curated page address, and the curated row goes.
CREATE OR REPLACE TABLE list_curated_matches AS
SELECT c.message_id AS curated_id, arg_min(p.message_id, p.message_id) AS parsed_id,
       any_value(c.url) AS url
FROM messages c
JOIN messages p
  ON c.method = 'curated' AND p.method = 'parsed' AND c.list = p.list
 AND date_trunc('minute', c.sent_at) = date_trunc('minute', p.sent_at)
 AND lower(trim(regexp_replace(c.subject, '\s+', ' ', 'g')))
   = lower(trim(regexp_replace(p.subject, '\s+', ' ', 'g')))
GROUP BY c.message_id;

UPDATE messages SET url = m.url
FROM list_curated_matches m
WHERE messages.message_id = m.parsed_id AND messages.url IS NULL;

DELETE FROM messages WHERE message_id IN (SELECT curated_id FROM list_curated_matches);

DROP TABLE list_curated_matches;

-- Curated sample messages that a parsed message repeats (same list, same minute, same subject):
-- the parsed row stays, takes the curated page address, and the curated row goes. Subjects are
-- compared as keys (list_curated_subjects, and the parsed rows' keyed base subjects), so that
-- the match does not depend on a subject an opt-out withholds.
CREATE OR REPLACE TABLE list_curated_matches AS
SELECT c.message_id AS curated_id, arg_min(p.message_id, p.message_id) AS parsed_id,
       any_value(c.url) AS url
FROM messages c
JOIN list_curated_subjects cs ON cs.message_id = c.message_id
JOIN messages p
  ON c.method = 'curated' AND p.method = 'parsed' AND c.list = p.list
 AND date_trunc('minute', c.sent_at) = date_trunc('minute', p.sent_at)
JOIN list_kept k ON k.message_id = p.message_id
JOIN list_parsed pp ON pp.source = k.source AND pp.position = k.position
WHERE cs.subject_key = pp.base_subject
GROUP BY c.message_id;

UPDATE messages SET url = m.url
FROM list_curated_matches m
WHERE messages.message_id = m.parsed_id AND messages.url IS NULL;

DELETE FROM messages WHERE message_id IN (SELECT curated_id FROM list_curated_matches);

DROP TABLE list_curated_matches;
DROP TABLE list_curated_subjects;

-- The kept messages with their person, thread and parent; their forum mentions; the people
-- with their first and last month and usual domain (most messages; on a tie, the domain seen
-- first); and each sender's messages. Empty strings are stored as NULL.
INSERT INTO messages BY NAME
SELECT p.message_id, i.list, p.sent_at, nullif(p.sent_month, '') AS sent_month, a.author_id,
       CASE WHEN pr.opted_out THEN NULL ELSE nullif(p.author_name, '') END AS author_name,
       nullif(p.domain, '') AS domain, nullif(p.subject, '') AS subject, w.root AS thread_id,
       l.parent_id AS in_reply_to, l.reply_source, nullif(p.url, '') AS url,
       nullif(p.source_url, '') AS source_url, 'parsed' AS method,
       nullif(p.date_source, '') AS date_source, p.body_chars, nullif(p.text, '') AS text, p.lang,
       CASE WHEN p.member LIKE 'addr:%' THEN p.member END AS address_hash,
       p.message_id_derived, p.attachments_scrubbed
FROM list_kept k
JOIN list_parsed p USING (source, position)
JOIN list_inputs i USING (source)
JOIN list_author_of a ON a.member = p.member
JOIN list_persons pr ON pr.author_id = a.author_id
JOIN list_links l ON l.message_id = k.message_id
JOIN list_walk w ON w.id = k.message_id;

INSERT INTO forum_mentions BY NAME
SELECT 'message' AS item_type, k.message_id AS item_id, f.forum, f.evidence, 'rules' AS source
FROM list_parsed_mentions f JOIN list_kept k USING (source, position);

INSERT INTO people BY NAME
WITH sent AS (
    SELECT a.author_id, nullif(p.sent_month, '') AS month, nullif(p.domain, '') AS domain,
           k.seq
    FROM list_kept k JOIN list_parsed p USING (source, position)
    JOIN list_author_of a ON a.member = p.member
),
spans AS (SELECT author_id, min(month) AS first_month, max(month) AS last_month
          FROM sent GROUP BY author_id),
domain_counts AS (
    SELECT author_id, domain, count(*) AS n, min(seq) AS first_seen
    FROM sent WHERE domain IS NOT NULL GROUP BY author_id, domain
),
usual AS (
    SELECT author_id, domain FROM (
        SELECT author_id, domain, row_number() OVER (
            PARTITION BY author_id ORDER BY n DESC, first_seen) AS rank
        FROM domain_counts) WHERE rank = 1
)
SELECT pr.author_id, pr.display_name, pr.n_addresses, pr.n_names, pr.n_messages,
       s.first_month, s.last_month, u.domain, pr.merged_by, pr.opted_out
FROM list_persons pr
LEFT JOIN spans s USING (author_id)
LEFT JOIN usual u USING (author_id);

INSERT INTO person_members BY NAME
SELECT a.author_id, p.member, max(nullif(p.domain, '')) AS domain, count(*) AS n_messages
FROM list_kept k JOIN list_parsed p USING (source, position)
JOIN list_author_of a ON a.member = p.member
GROUP BY a.author_id, p.member;

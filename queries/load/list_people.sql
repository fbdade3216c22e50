-- The kept messages' forum mentions; the people with their first and last month and usual
-- domain (most messages; on a tie, the domain seen first); and each sender's messages.
-- Empty strings are stored as NULL.
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

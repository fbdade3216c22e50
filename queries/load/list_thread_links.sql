-- Each kept message's parent, as scrapers/parse/threads.py chooses it: In-Reply-To, then the
-- newest References entry, then, for a "Re:" with neither, the latest earlier message with the
-- same base subject (ties in time: the greatest key). Then list_walk, where `root` is known for
-- thread starts and for messages whose parent the archive lacks (named after the oldest
-- reference, so that siblings group), and `anc` is the parent still to be followed.
CREATE OR REPLACE TABLE list_links AS
WITH k AS (
    SELECT k.message_id, k.input_no, k.position, p.header_in_reply_to AS irt, p.refs_first,
           p.refs_last, p.n_refs, p.base_subject, p.reply_subject, p.sent_at
    FROM list_kept k JOIN list_parsed p USING (source, position)
),
bare AS (
    SELECT message_id, base_subject, sent_at FROM k
    WHERE irt IS NULL AND n_refs = 0 AND reply_subject AND base_subject <> ''
      AND sent_at IS NOT NULL
),
candidates AS (
    SELECT base_subject, sent_at, max(message_id) AS candidate FROM k
    WHERE sent_at IS NOT NULL AND base_subject IN (SELECT base_subject FROM bare)
    GROUP BY base_subject, sent_at
),
by_subject AS (
    SELECT b.message_id, c.candidate
    FROM bare b ASOF JOIN candidates c
      ON b.base_subject = c.base_subject AND b.sent_at > c.sent_at
)
SELECT k.message_id, k.input_no, k.position, k.refs_first,
       CASE WHEN k.irt IS NOT NULL AND k.irt <> k.message_id THEN k.irt
            WHEN k.n_refs > 0 AND k.refs_last <> k.message_id THEN k.refs_last
            ELSE s.candidate END AS parent_id,
       CASE WHEN k.irt IS NOT NULL AND k.irt <> k.message_id THEN 'in-reply-to'
            WHEN k.n_refs > 0 AND k.refs_last <> k.message_id THEN 'references'
            WHEN s.candidate IS NOT NULL THEN 'subject' END AS reply_source
FROM k LEFT JOIN by_subject s USING (message_id);

CREATE OR REPLACE TABLE list_walk AS
SELECT l.message_id AS id,
       CASE WHEN p.message_id IS NOT NULL THEN l.parent_id END AS anc,
       CASE WHEN l.parent_id IS NULL THEN l.message_id
            WHEN p.message_id IS NULL THEN coalesce(l.refs_first, l.parent_id) END AS root
FROM list_links l LEFT JOIN list_links p ON p.message_id = l.parent_id;

-- Messages that mention each forum (in the subject or the author's own text), per month.
-- @param list = bestbits | the list's name; empty means every list
-- @param forum = | a forum code (IGF, NETmundial, ...); empty means every forum
SELECT m.sent_month AS month, f.forum, count(DISTINCT m.message_id) AS messages,
       count(DISTINCT m.message_id) FILTER (WHERE f.evidence LIKE 'subject:%') AS in_subject,
       count(DISTINCT m.message_id) FILTER (WHERE f.evidence LIKE 'body:%') AS in_body
FROM forum_mentions f
JOIN messages m ON f.item_type = 'message' AND m.message_id = f.item_id
WHERE m.method = 'parsed' AND m.sent_month IS NOT NULL
  AND (m.list = $list OR $list IS NULL)
  AND (f.forum = $forum OR $forum IS NULL)
GROUP BY ALL
ORDER BY month, f.forum;

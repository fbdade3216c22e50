-- Messages that mention each forum (in the subject or the author's own text), per month.
-- @param list = bestbits | the list's name; empty means every list
-- @param forum: forum = | a forum code (IGF, NETmundial, ...); empty means every forum
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
SELECT month, forum, messages, in_subject, in_body
FROM list_forum_months
WHERE list IS NOT DISTINCT FROM $list
  AND (forum = $forum OR $forum IS NULL)
  AND CAST(left(month, 4) AS INTEGER) BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
ORDER BY month, forum;

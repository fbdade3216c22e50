-- The messages and statements behind one point of the themes chart (a theme in a month), with the words matched.
-- @param theme = surveillance | the theme (themes.theme)
-- @param month: month = 2013-06 | the month, 'YYYY-MM'
-- @param list = | the list's name (messages only); empty for all
SELECT 'message' AS kind, m.message_id AS id, strftime(m.sent_at, '%Y-%m-%d') AS date,
       m.subject AS title, CASE WHEN p.opted_out THEN NULL ELSE m.author_name END AS author_name,
       tm.evidence, coalesce(m.url, m.source_url) AS archived_url, m.method
FROM theme_mentions tm
JOIN messages m ON m.message_id = tm.item_id
LEFT JOIN people p ON p.author_id = m.author_id
WHERE tm.item_type = 'message' AND tm.theme = $theme AND m.sent_month = $month
  AND ($list IS NULL OR m.list = $list)
UNION ALL
SELECT 'statement', s.statement_id, coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month),
       s.title, NULL, tm.evidence, coalesce(s.source_url, s.url), s.method
FROM theme_mentions tm
JOIN statements s ON s.statement_id = tm.item_id
WHERE tm.item_type = 'statement' AND tm.theme = $theme
  AND coalesce(strftime(s.date, '%Y-%m'), s.date_month) = $month
ORDER BY kind DESC, date, id;

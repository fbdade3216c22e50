-- Messages and statements per theme per month (keyword rules of data/theme_rules.toml).
-- @param list = | the list's name (messages only); empty for all
WITH items AS (
    SELECT tm.theme, tm.item_type,
           coalesce(m.sent_month, strftime(s.date, '%Y-%m'), s.date_month) AS month
    FROM theme_mentions tm
    LEFT JOIN messages m ON tm.item_type = 'message' AND m.message_id = tm.item_id
    LEFT JOIN statements s ON tm.item_type = 'statement' AND s.statement_id = tm.item_id
    WHERE tm.item_type = 'statement' OR $list IS NULL OR m.list = $list
)
SELECT t.theme, t.name, i.month,
       count(*) FILTER (WHERE i.item_type = 'message') AS messages,
       count(*) FILTER (WHERE i.item_type = 'statement') AS statements
FROM items i JOIN themes t USING (theme)
WHERE i.month IS NOT NULL
GROUP BY t.theme, t.name, t.sort_order, i.month
ORDER BY t.sort_order, i.month;

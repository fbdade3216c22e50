-- Messages and statements per theme per month (keyword rules of data/theme_rules.toml).
-- @param list = | the list's name (messages only); empty for all
-- (Two inner joins, not one LEFT JOIN on "item_type = ... AND id = ...": DuckDB ran that as a
-- nested loop, 126 s at 200,000 messages.)
WITH items AS (
    SELECT tm.theme, 'message' AS item_type, m.sent_month AS month
    FROM theme_mentions tm JOIN messages m ON m.message_id = tm.item_id
    WHERE tm.item_type = 'message' AND ($list IS NULL OR m.list = $list)
    UNION ALL
    SELECT tm.theme, 'statement' AS item_type,
           coalesce(strftime(s.date, '%Y-%m'), s.date_month) AS month
    FROM theme_mentions tm JOIN statements s ON s.statement_id = tm.item_id
    WHERE tm.item_type = 'statement'
)
SELECT t.theme, t.name, i.month,
       count(*) FILTER (WHERE i.item_type = 'message') AS messages,
       count(*) FILTER (WHERE i.item_type = 'statement') AS statements
FROM items i JOIN themes t USING (theme)
WHERE i.month IS NOT NULL
GROUP BY t.theme, t.name, t.sort_order, i.month
ORDER BY t.sort_order, i.month;

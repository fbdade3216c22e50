-- Events, statements and messages per year and forum, 2012-2019, every year shown (zero-filled).
-- @param from_year: integer = 2012 | first year
-- @param to_year: integer = 2019 | last year
-- @param forum: forum = | one forum code (IGF, NETmundial, WSIS+10, UNESCO, ITU, HRC, ICANN, other); empty for all
--
-- Events and statements count under their primary forum (the curated value where there is one).
-- Messages count under every forum their subject or body names (forum_mentions from the rules),
-- so a message naming two forums counts in both, and one naming none is not counted here.
WITH years AS (
    SELECT range AS year FROM range(CAST($from_year AS INTEGER), CAST($to_year AS INTEGER) + 1)
),
grid AS (
    SELECT y.year, f.forum, f.sort_order
    FROM years y CROSS JOIN forums f
    WHERE $forum IS NULL OR f.forum = $forum
),
event_counts AS (
    SELECT start_year AS year, forum, count(*) AS n FROM events GROUP BY ALL
),
statement_counts AS (
    SELECT date_year AS year, forum, count(*) AS n FROM statements GROUP BY ALL
),
message_counts AS (
    SELECT CAST(substr(m.sent_month, 1, 4) AS INTEGER) AS year, fm.forum,
           count(DISTINCT m.message_id) AS n
    FROM messages m
    JOIN forum_mentions fm ON fm.item_type = 'message' AND fm.item_id = m.message_id
    GROUP BY ALL
)
SELECT g.year, g.forum,
       coalesce(e.n, 0) AS events,
       coalesce(s.n, 0) AS statements,
       coalesce(m.n, 0) AS messages
FROM grid g
LEFT JOIN event_counts e ON e.year = g.year AND e.forum = g.forum
LEFT JOIN statement_counts s ON s.year = g.year AND s.forum = g.forum
LEFT JOIN message_counts m ON m.year = g.year AND m.forum = g.forum
ORDER BY g.sort_order, g.year;

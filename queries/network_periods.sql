-- The periods the networks are drawn for: everything, each year, and before and from NETmundial (its first day as the record gives it, forum_meetings), each with its first and last day.
-- @param first_year: integer = 2012 | the network's first year
-- @param last_year: integer = 2019 | its last year
-- A period is a closed range of days; NULL bounds mean no bound. "before" ends the day before
-- NETmundial opened and "from" starts on that day, so a statement made at the meeting counts
-- from it.
WITH netmundial AS (
    SELECT min(start_date) AS opened, arg_min(source_url, start_date) AS source_url
    FROM forum_meetings WHERE forum = 'NETmundial'
)
SELECT 'all' AS period, 'All years' AS label, NULL::DATE AS from_date, NULL::DATE AS to_date,
       0 AS position, NULL AS source_url
UNION ALL
SELECT CAST(y AS VARCHAR), CAST(y AS VARCHAR), make_date(y, 1, 1), make_date(y, 12, 31),
       y - CAST($first_year AS INTEGER) + 3, NULL
FROM range(CAST($first_year AS INTEGER), CAST($last_year AS INTEGER) + 1) t(y)
UNION ALL
SELECT 'before-netmundial', 'Before NETmundial (to ' || strftime(opened - 1, '%Y-%m-%d') || ')',
       NULL, CAST(opened - 1 AS DATE), 1, source_url
FROM netmundial WHERE opened IS NOT NULL
UNION ALL
SELECT 'from-netmundial', 'From NETmundial (' || strftime(opened, '%Y-%m-%d') || ')',
       CAST(opened AS DATE), NULL, 2, source_url
FROM netmundial WHERE opened IS NOT NULL
ORDER BY position;

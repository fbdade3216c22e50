-- The network's milestones (founding, governance, decline, closure), with sources.
SELECT milestone_id, coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
       CASE WHEN date IS NOT NULL THEN 'day' ELSE 'month' END AS date_precision,
       date_year AS year, title, kind, source_url, archived_url, archived_at, archived_match, method
FROM milestones
ORDER BY coalesce(date, CAST(date_month || '-01' AS DATE)), milestone_id;

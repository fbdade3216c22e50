-- Who answers whom, by organisation (sender domain): replies between organisations, and within one.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_replies: integer = 1 | only pairs with at least this many replies
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
SELECT coalesce(ds.organisation, r.source_domain) AS source,
       coalesce(dt.organisation, r.target_domain) AS target,
       sum(r.replies) AS replies
FROM list_reply_pairs r
LEFT JOIN domains ds ON ds.domain = r.source_domain
LEFT JOIN domains dt ON dt.domain = r.target_domain
WHERE r.list IS NOT DISTINCT FROM $list
  AND r.source_domain IS NOT NULL AND r.target_domain IS NOT NULL
  AND r.year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
GROUP BY ALL
HAVING sum(r.replies) >= CAST($min_replies AS INTEGER)
ORDER BY replies DESC, source, target;

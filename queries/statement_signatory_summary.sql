-- Signatories of one statement counted by country and by kind (organisation or individual), as listed.
-- @param statement_id = netmundial-draft-2014 | the statement
SELECT 'country' AS facet, coalesce(country, 'not stated') AS value, count(*) AS signatories
FROM signatories WHERE statement_id = $statement_id GROUP BY ALL
UNION ALL
SELECT 'kind', coalesce(kind, 'not stated'), count(*)
FROM signatories WHERE statement_id = $statement_id GROUP BY ALL
ORDER BY facet, signatories DESC, value;

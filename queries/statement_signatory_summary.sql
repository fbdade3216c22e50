-- Signatories of one statement counted by country and by kind, among those whose source states it; listed: all its signatories.
-- @param statement_id = netmundial-draft-2014 | the statement
-- A signatory whose source does not state its country (or kind) is not counted in that facet:
-- a facet appears only when the record has the data behind it, never as one "not stated" bar.
-- stated: how many of the listed signatories the facet counts.
WITH listed AS (
    SELECT count(*) AS listed FROM signatories WHERE statement_id = $statement_id
),
facets AS (
    SELECT 'country' AS facet, country AS value, count(*) AS signatories
    FROM signatories WHERE statement_id = $statement_id AND country IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'kind', kind, count(*)
    FROM signatories WHERE statement_id = $statement_id AND kind IS NOT NULL GROUP BY ALL
)
SELECT f.facet, f.value, f.signatories,
       CAST(sum(f.signatories) OVER (PARTITION BY f.facet) AS INTEGER) AS stated, l.listed
FROM facets f, listed l
ORDER BY f.facet, f.signatories DESC, f.value;

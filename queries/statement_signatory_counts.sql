-- How many signatories the record lists for each statement against how many its source states ('>90' is "more than 90"), and from which sources.
-- @param statement_id = | one statement; empty for all
-- signatory_count is text as the page stated it: '>90' means more than 90, '53' may be "18
-- organisations and 35 individuals". stated_number is its number, listed_share the listed part
-- of it (NULL when the source states no count).
WITH listed AS (
    SELECT statement_id, count(*) AS listed,
           count(*) FILTER (WHERE method = 'curated') AS listed_curated,
           count(*) FILTER (WHERE method = 'parsed') AS listed_parsed,
           count(*) FILTER (WHERE kind = 'organisation') AS organisations,
           count(*) FILTER (WHERE kind = 'individual') AS individuals,
           count(country) AS with_country
    FROM signatories GROUP BY statement_id
),
counts AS (
    SELECT s.statement_id, s.title, s.signatory_count AS stated,
           TRY_CAST(regexp_extract(s.signatory_count, '(\d+)', 1) AS INTEGER) AS stated_number,
           starts_with(trim(coalesce(s.signatory_count, '')), '>') AS stated_as_more_than,
           coalesce(l.listed, 0) AS listed, coalesce(l.listed_curated, 0) AS listed_curated,
           coalesce(l.listed_parsed, 0) AS listed_parsed, coalesce(l.organisations, 0)
               AS organisations, coalesce(l.individuals, 0) AS individuals,
           coalesce(l.with_country, 0) AS with_country
    FROM statements s LEFT JOIN listed l USING (statement_id)
    WHERE $statement_id IS NULL OR s.statement_id = $statement_id
)
SELECT statement_id, title, stated, stated_number, listed, listed_curated, listed_parsed,
       organisations, individuals, with_country,
       CASE WHEN stated_number > 0 THEN round(listed / stated_number, 2) END AS listed_share,
       CASE
           WHEN stated_number IS NULL AND listed = 0
               THEN 'No signatory is listed, and the source states no count.'
           WHEN stated_number IS NULL
               THEN listed || CASE WHEN listed = 1 THEN ' signatory is' ELSE ' signatories are' END
                    || ' listed; the source states no count, so the list may be partial.'
           WHEN listed > stated_number AND NOT stated_as_more_than
               THEN listed || ' signatories are listed; the source states ' || stated_number || '.'
           ELSE listed || ' of ' || CASE WHEN stated_as_more_than THEN 'more than ' ELSE '' END
                || stated_number || ' signatories the source states are listed'
                || CASE WHEN listed < stated_number OR stated_as_more_than
                        THEN ': the list is partial.' ELSE '.' END
       END AS listed_against_stated
FROM counts
ORDER BY statement_id;

-- The signatories of one statement as the sources list them: kind and country where known, which sources list each, and its archived source.
-- @param statement_id = netmundial-draft-2014 | the statement
SELECT name, organisation, coalesce(country, 'not stated') AS country,
       coalesce(kind, 'not stated') AS kind, kind_basis, listed_by, position, other_source_urls,
       source_url, archived_url, archived_at, archived_match, archived_local, method
FROM signatories WHERE statement_id = $statement_id
ORDER BY method, source_url, position NULLS LAST, name;

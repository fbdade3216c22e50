-- The signatories of one statement as the sources list them (organisation or individual where known).
-- @param statement_id = netmundial-draft-2014 | the statement
SELECT name, organisation, coalesce(country, 'not stated') AS country,
       coalesce(kind, 'not stated') AS kind, source_url, method
FROM signatories WHERE statement_id = $statement_id ORDER BY name;

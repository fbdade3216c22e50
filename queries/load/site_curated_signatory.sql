-- One curated signatory of a statement, by name: what the curated record says of its kind, organisation and country, and its source.
SELECT kind, organisation, country, source_url FROM signatories
WHERE statement_id = $statement_id AND name = $name AND method = 'curated'
LIMIT 1;

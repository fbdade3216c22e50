-- One curated signatory of a statement, by name: what the curated record says of its kind, organisation and country.
SELECT kind, organisation, country FROM signatories
WHERE statement_id = $statement_id AND lower(name) = $name AND method = 'curated'
LIMIT 1;

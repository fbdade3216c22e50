-- Give a curated signatory what its statement's archived page says and the curated record leaves empty: kind (with what told it), organisation, country.
UPDATE signatories SET
    kind = coalesce(kind, $kind),
    kind_basis = CASE WHEN kind IS NULL THEN $kind_basis ELSE kind_basis END,
    organisation = coalesce(organisation, $organisation),
    country = coalesce(country, $country)
WHERE statement_id = $statement_id AND lower(name) = $name AND method = 'curated';

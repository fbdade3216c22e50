-- A curated signatory an archived page lists too: the page joins its sources, and gives what the curated record leaves empty (kind, with what told it, organisation, country).
UPDATE signatories SET
    kind = coalesce(kind, $kind),
    kind_basis = CASE WHEN kind IS NULL THEN $kind_basis ELSE kind_basis END,
    organisation = coalesce(organisation, $organisation),
    country = coalesce(country, $country),
    listed_by = CASE WHEN list_contains(string_split(listed_by, '; '), $listed_by) THEN listed_by
                     ELSE concat_ws('; ', listed_by, $listed_by) END,
    other_source_urls = CASE
        WHEN source_url = $source_url
          OR list_contains(string_split(coalesce(other_source_urls, ''), '; '), $source_url)
        THEN other_source_urls
        ELSE concat_ws('; ', other_source_urls, $source_url) END
WHERE statement_id = $statement_id AND name = $name AND method = 'curated';

-- Keep what an archived page adds to a curated statement (fills and refinements; NULL leaves a column as it is), the endorsers by kind and its language.
UPDATE statements SET
    date = coalesce(CAST($date AS DATE), date),
    date_month = coalesce($date_month, date_month),
    date_year = coalesce(CAST($date_year AS INTEGER), date_year),
    addressee = coalesce($addressee, addressee),
    signatory_count = coalesce($signatory_count, signatory_count),
    parsed_organisations = coalesce(CAST($organisations AS INTEGER), parsed_organisations),
    parsed_individuals = coalesce(CAST($individuals AS INTEGER), parsed_individuals),
    lang = coalesce(lang, $lang)
WHERE statement_id = $statement_id;

-- Keep what an archived page adds to a curated event (fills and refinements; NULL leaves a column as it is) and its language.
UPDATE events SET
    start_date = coalesce(CAST($start_date AS DATE), start_date),
    start_month = coalesce($start_month, start_month),
    start_year = coalesce(CAST($start_year AS INTEGER), start_year),
    end_date = coalesce(CAST($end_date AS DATE), end_date),
    end_month = coalesce($end_month, end_month),
    start_time = coalesce($start_time, start_time),
    end_time = coalesce($end_time, end_time),
    venue = coalesce($venue, venue),
    city = coalesce($city, city),
    country = coalesce($country, country),
    kind = coalesce($kind, kind),
    lang = coalesce(lang, $lang)
WHERE event_id = $event_id;

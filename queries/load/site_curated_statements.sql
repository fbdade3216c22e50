-- Curated statements the parsed site pages are matched against (by address, title and date, or day and forum).
SELECT statement_id, title, date, date_month, addressee, signatory_count, forum, url, source_url,
       text IS NOT NULL AS has_text
FROM statements
WHERE method = 'curated';

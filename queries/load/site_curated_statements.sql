-- Curated statements the parsed site pages are matched against (by address, or title and date).
SELECT statement_id, title, date, date_month, addressee, signatory_count, url,
       text IS NOT NULL AS has_text
FROM statements
WHERE method = 'curated';

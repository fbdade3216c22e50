-- One statement in full: the sanitised text, dates, addressee, counts and sources.
-- @param statement_id = netmundial-draft-2014 | the statement
SELECT statement_id, title, coalesce(strftime(date, '%Y-%m-%d'), date_month) AS date,
       CASE WHEN date IS NULL THEN 'month only' ELSE 'day' END AS date_precision,
       forum, addressee, signatory_count, link_to_best_bits, url, text, text_html, notes,
       source_url, method
FROM statements WHERE statement_id = $statement_id;

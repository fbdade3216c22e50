-- The statements the full-text index holds (bestbits/load/search_index.py), in statement_id
-- order: the filters (forum, year) and the words searched (title, addressee, text, notes, summary, topics).
SELECT statement_id, forum, date_year AS year,
       concat_ws(' ', title, addressee, text, notes, summary, topics) AS words
FROM statements
ORDER BY statement_id;

-- The names each statement already lists (the curated record's), so that an endorser a page
-- lists too joins that row instead of repeating it.
SELECT statement_id, name FROM signatories WHERE method = 'curated' ORDER BY statement_id, position NULLS LAST, name;

-- Names already listed for a statement, so that parsed endorsements do not repeat them.
SELECT statement_id, lower(name) AS name FROM signatories;

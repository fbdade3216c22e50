-- Which person each sender (address hash or name key) was merged into.
CREATE OR REPLACE TABLE list_author_of AS
SELECT CAST(member AS VARCHAR) AS member, CAST(author_id AS VARCHAR) AS author_id
FROM incoming_batch;

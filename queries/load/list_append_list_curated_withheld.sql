-- Curated messages an opt-out touches: `hers` when an opted-out person wrote it, else only its
-- subject repeats a withheld one.
CREATE OR REPLACE TABLE list_curated_withheld AS
SELECT CAST(message_id AS VARCHAR) AS message_id, CAST(hers AS BOOLEAN) AS hers
FROM incoming_batch;

-- The curated messages' subjects as the kept parse rows hold them (keyed base subjects).
CREATE OR REPLACE TABLE list_curated_subjects AS
SELECT CAST(message_id AS VARCHAR) AS message_id, CAST(subject_key AS VARCHAR) AS subject_key
FROM incoming_batch;

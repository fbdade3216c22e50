-- The merged people, before their months and domain are counted in SQL.
CREATE OR REPLACE TABLE list_persons AS
SELECT CAST(author_id AS VARCHAR) AS author_id, CAST(display_name AS VARCHAR) AS display_name,
       CAST(n_addresses AS INTEGER) AS n_addresses, CAST(n_names AS INTEGER) AS n_names,
       CAST(n_messages AS INTEGER) AS n_messages, CAST(merged_by AS VARCHAR) AS merged_by,
       CAST(opted_out AS BOOLEAN) AS opted_out
FROM incoming_batch;

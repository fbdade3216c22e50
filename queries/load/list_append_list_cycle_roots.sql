-- The thread roots of messages in reply cycles, found in Python (bestbits/load/messages.py).
CREATE OR REPLACE TABLE list_cycle_roots AS
SELECT CAST(id AS VARCHAR) AS id, CAST(root AS VARCHAR) AS root FROM incoming_batch;

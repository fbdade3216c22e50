-- The inputs the previous build (attached as `previous`) parsed with the same fingerprint, and
-- whose parsed rows it kept (it keeps none of an input that holds an opted-out person's messages).
SELECT source, content_hash FROM previous.list_inputs WHERE fingerprint = ? AND rows_kept;

-- The inputs the previous build (attached as `previous`) parsed with the same fingerprint.
SELECT source, content_hash FROM previous.list_inputs WHERE fingerprint = ?;

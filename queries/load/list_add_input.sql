-- One list input as this build reads it (source, list, reading order, hash, fingerprint, address, month).
INSERT INTO list_inputs (source, list, input_no, content_hash, fingerprint, source_url, month_hint)
VALUES (?, ?, ?, ?, ?, ?, ?);

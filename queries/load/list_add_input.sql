-- One list input as this build reads it (source, list, reading order, hash, fingerprint, address, month).
INSERT INTO list_inputs VALUES (?, ?, ?, ?, ?, ?, ?);

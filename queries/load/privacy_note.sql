-- One line of ingest_notes: what the build changed in items it loaded.
INSERT INTO ingest_notes (source, stage, note, items) VALUES (?, ?, ?, ?);

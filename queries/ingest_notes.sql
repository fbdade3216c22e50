-- What the build changed in items it loaded: texts cut at the 1 MB cap, signatory cells that held an address, what the privacy sweep redacted.
SELECT stage, source, note, items FROM ingest_notes ORDER BY stage, source, note;

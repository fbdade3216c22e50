-- Every input the build read: items found, loaded and rejected (loaded + rejected = total).
SELECT stage, source, total, loaded, rejected FROM ingest_report ORDER BY stage, source;

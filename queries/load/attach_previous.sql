-- The previous database, read-only, for an incremental build ({path}: a quoted file path; ATTACH takes no bound parameters).
ATTACH {path} AS previous (READ_ONLY);

-- Files, reports and background papers found among the site's captures.
-- @param kind = | file, report or background_paper; empty for all
SELECT kind, title, date, mime, url, captures, replay_url, archived_url, archived_at, archived_match, archived_local
FROM documents
WHERE $kind IS NULL OR kind = $kind
ORDER BY kind, date NULLS LAST, url;

-- Inputs the build left out, and why (every reject of every reader).
-- @param stage = | one stage (curated, captures, site, list); empty for all
SELECT stage, source, locator, reason
FROM rejects
WHERE $stage IS NULL OR stage = $stage
ORDER BY stage, source, locator;

-- Issue 11: where a redirect capture leads, as `bestbits collect site` followed it through the
-- archive (empty for other captures, and for redirects collected with --no-follow-redirects).
ALTER TABLE captures ADD COLUMN redirect_to VARCHAR;  -- the address the archived redirect points to
ALTER TABLE captures ADD COLUMN redirect_end_url VARCHAR;  -- where the chain of redirects ends (a capture that is not a redirect)
ALTER TABLE captures ADD COLUMN redirect_end_timestamp VARCHAR;  -- the 14-digit time of that last capture
ALTER TABLE captures ADD COLUMN redirect_problem VARCHAR;  -- why following stopped early: a redirect loop, too many hops

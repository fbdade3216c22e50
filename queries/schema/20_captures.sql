-- Issue 4: captures of the site collected from a web archive (or imported from WARC files).
-- replay_url is an address a person can open to see the capture: <archive root><timestamp>/<url>
-- (for imported WARC files, the Wayback Machine's address for that URL and time).
ALTER TABLE captures ADD COLUMN replay_url VARCHAR;  -- an address a person can open to see the capture

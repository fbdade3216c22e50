-- The choices the Events page offers: years, kinds and places that occur among events.
SELECT DISTINCT 'year' AS facet, CAST(start_year AS VARCHAR) AS value FROM events WHERE start_year IS NOT NULL
UNION SELECT DISTINCT 'kind', kind FROM events WHERE kind IS NOT NULL
UNION SELECT DISTINCT 'place', coalesce(country, 'online / not stated') FROM events
ORDER BY facet, value;

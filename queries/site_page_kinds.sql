-- How many stored captures of the site are of each kind, and what became of them.
SELECT page_kind, outcome, count(*) AS captures, count(DISTINCT url) AS addresses
FROM page_classes
GROUP BY page_kind, outcome
ORDER BY page_kind, outcome;

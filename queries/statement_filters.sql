-- The choices the Statements page offers: years that occur among statements.
SELECT DISTINCT CAST(date_year AS VARCHAR) AS year FROM statements
WHERE date_year IS NOT NULL ORDER BY year;

-- Distinct posters (merged people) per month, with the month's message count.
-- @param list = bestbits | the list's name; empty means every list
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
SELECT month, posters, messages
FROM list_months
WHERE list IS NOT DISTINCT FROM $list
  AND CAST(left(month, 4) AS INTEGER) BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
ORDER BY month;

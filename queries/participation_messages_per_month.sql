-- Messages per month on the mailing list (parsed archive only; the curated sample is not counted).
-- @param list = bestbits | the list's name; empty means every list
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
SELECT month, messages
FROM list_months
WHERE list IS NOT DISTINCT FROM $list
  AND CAST(left(month, 4) AS INTEGER) BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
ORDER BY month;

-- Where values parsed from the archived site differ from the curated record (the curated value is kept).
-- @param item_type = | event or statement; empty for both
-- @param include_gaps: boolean = false | true to also list fields the curated record leaves empty
SELECT item_type, item_id, field, curated_value, parsed_value, source_url
FROM parsed_vs_curated
WHERE ($item_type IS NULL OR item_type = $item_type)
  AND (curated_value IS NOT NULL OR CAST($include_gaps AS BOOLEAN))
ORDER BY item_type, item_id, field;

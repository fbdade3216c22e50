-- What the archived site added to curated rows: each fill (the curated field was empty) and refinement (more precise, agreeing), with both values and both sources.
-- @param item_type = | event or statement; empty for both
SELECT item_type, item_id, field, change, curated_value, parsed_value, curated_source_url,
       parsed_source_url
FROM reconcile_changes
WHERE ($item_type IS NULL OR item_type = $item_type)
ORDER BY item_type, item_id, change DESC, field;

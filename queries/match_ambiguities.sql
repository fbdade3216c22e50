-- Parsed items matched to curated rows by day, place and forum (score 0..1): the ambiguous ones, listed instead of merged or loaded twice, and with include_merged the ones merged.
-- @param include_merged: boolean = false | true to also list the matches merged above the threshold
SELECT item_type, parsed_title, parsed_date, candidate_id, round(score, 2) AS score, evidence,
       outcome, source_url
FROM match_candidates
WHERE outcome = 'listed' OR CAST($include_merged AS BOOLEAN)
ORDER BY outcome DESC, score DESC, parsed_title;

-- What the next build may reuse holds nothing an opt-out withholds. An input that holds a row of
-- an opted-out person keeps no parsed rows: the next build reads it again, so that it merges
-- her addresses by her names as a full build does, and no working table keeps her name, words or
-- subjects. The subject lines withheld from other people's replies are not kept either.
UPDATE list_inputs SET rows_kept = false
WHERE source IN (SELECT DISTINCT p.source
                 FROM list_parsed p
                 JOIN list_author_of a ON a.member = p.member
                 JOIN list_persons pr ON pr.author_id = a.author_id
                 WHERE pr.opted_out);

DELETE FROM list_parsed WHERE source IN (SELECT source FROM list_inputs WHERE NOT rows_kept);
DELETE FROM list_parsed_mentions WHERE source IN (SELECT source FROM list_inputs WHERE NOT rows_kept);
DELETE FROM list_parse_rejects WHERE source IN (SELECT source FROM list_inputs WHERE NOT rows_kept);

UPDATE list_parsed SET subject = NULL
WHERE subject IS NOT NULL AND base_subject IN (SELECT base_subject FROM list_withheld_subjects);

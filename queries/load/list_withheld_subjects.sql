-- The subject lines opted-out people wrote (the base subjects, keyed, of their messages that are
-- not replies): withheld in their messages, in every reply that repeats them ("Re: <subject>"),
-- and so in the threads they started.
CREATE OR REPLACE TABLE list_withheld_subjects AS
SELECT DISTINCT p.base_subject
FROM list_kept k
JOIN list_parsed p USING (source, position)
JOIN list_author_of a ON a.member = p.member
JOIN list_persons pr ON pr.author_id = a.author_id
WHERE pr.opted_out AND NOT p.reply_subject AND p.base_subject <> '';

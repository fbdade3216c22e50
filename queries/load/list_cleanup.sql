-- The kept parse rows (reused by incremental builds) withhold an opted-out person's name and words too,
-- as messages and people do: the opt-out file is part of the parse fingerprint, so a change
-- to it re-parses and nothing withheld has to come back from here.
UPDATE list_parsed SET author_name = NULL, text = NULL
WHERE member IN (SELECT a.member FROM list_author_of a JOIN list_persons p USING (author_id)
                 WHERE p.opted_out);

-- The list reader's working tables, once messages and people are written.
DROP TABLE IF EXISTS list_links;
DROP TABLE IF EXISTS list_walk;
DROP TABLE IF EXISTS list_author_of;
DROP TABLE IF EXISTS list_persons;
DROP TABLE IF EXISTS list_kept;

-- The list reader's working tables, once messages and people are written (the parse rows kept
-- for the next build hold nothing an opt-out withholds: list_keep_for_next_build.sql).
DROP TABLE IF EXISTS list_links;
DROP TABLE IF EXISTS list_walk;
DROP TABLE IF EXISTS list_author_of;
DROP TABLE IF EXISTS list_persons;
DROP TABLE IF EXISTS list_kept;
DROP TABLE IF EXISTS list_withheld_subjects;

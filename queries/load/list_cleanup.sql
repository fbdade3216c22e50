-- The list reader's working tables, once messages and people are written.
DROP TABLE IF EXISTS list_links;
DROP TABLE IF EXISTS list_walk;
DROP TABLE IF EXISTS list_author_of;
DROP TABLE IF EXISTS list_persons;
DROP TABLE IF EXISTS list_kept;

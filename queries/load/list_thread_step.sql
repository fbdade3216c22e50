-- One round of pointer doubling: a message not yet resolved takes its ancestor's root when
-- that one is known, and otherwise jumps to its ancestor's ancestor.
CREATE OR REPLACE TABLE list_walk_next AS
SELECT w.id, a.anc, coalesce(w.root, a.root) AS root
FROM list_walk w LEFT JOIN list_walk a ON a.id = w.anc;

DROP TABLE list_walk;
ALTER TABLE list_walk_next RENAME TO list_walk;

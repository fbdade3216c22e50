-- The roots found in Python for messages in reply cycles.
UPDATE list_walk SET root = c.root, anc = NULL FROM list_cycle_roots c WHERE list_walk.id = c.id;
DROP TABLE list_cycle_roots;

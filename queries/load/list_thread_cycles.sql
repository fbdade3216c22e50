-- Messages left unresolved by pointer doubling (in or below a reply cycle), in reading order.
SELECT l.message_id, l.parent_id
FROM list_walk w JOIN list_links l ON l.message_id = w.id
WHERE w.root IS NULL
ORDER BY l.input_no, l.position;

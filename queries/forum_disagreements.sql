-- Items whose curated forum differs from the forums the rules find in their text (rules finding nothing is not listed).
SELECT c.item_type, c.item_id, c.forum AS curated_forum,
       string_agg(r.forum, ', ' ORDER BY f.sort_order) AS rule_forums,
       string_agg(r.forum || ' <- ' || r.evidence, '; ' ORDER BY f.sort_order) AS rule_evidence
FROM forum_mentions c
LEFT JOIN forum_mentions r
       ON r.item_type = c.item_type AND r.item_id = c.item_id AND r.source = 'rules'
LEFT JOIN forums f ON f.forum = r.forum
WHERE c.source = 'curated'
GROUP BY c.item_type, c.item_id, c.forum
HAVING count(r.forum) > 0
   AND (NOT list_contains(list(r.forum), c.forum)
        OR count(DISTINCT r.forum) FILTER (WHERE r.forum <> c.forum) > 0)
ORDER BY c.item_type, c.item_id;

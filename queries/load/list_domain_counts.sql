-- Messages and distinct posters per sender domain, over the parsed messages just loaded.
SELECT m.domain, count(*) AS messages, count(DISTINCT m.author_id) AS posters
FROM messages m JOIN list_kept k USING (message_id)
WHERE m.method = 'parsed' AND m.domain IS NOT NULL
GROUP BY m.domain
ORDER BY m.domain;

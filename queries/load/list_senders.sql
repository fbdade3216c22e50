-- One row per distinct (sender, name) of the kept messages, with its messages: what people
-- merging reads (scrapers/parse/people.py), a row per sender spelling, not per message.
SELECT p.member, p.author_name, count(*) AS messages
FROM list_kept k JOIN list_parsed p USING (source, position)
GROUP BY p.member, p.author_name;

-- An opted-out person's curated messages lose their author (name and the name's pseudonym) and
-- subject; a curated message that repeats a withheld subject loses its subject.
UPDATE messages SET
    author_name = CASE WHEN w.hers THEN NULL ELSE messages.author_name END,
    author_id = CASE WHEN w.hers THEN NULL ELSE messages.author_id END,
    subject = NULL
FROM list_curated_withheld w
WHERE messages.message_id = w.message_id AND messages.method = 'curated';

DROP TABLE list_curated_withheld;

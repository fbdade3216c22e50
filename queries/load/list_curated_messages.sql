-- The curated sample's messages (data/reference/list_messages.csv): id, author and subject.
SELECT message_id, author_name, subject FROM messages WHERE method = 'curated' ORDER BY message_id;

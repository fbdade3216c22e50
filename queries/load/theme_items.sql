-- The text fields the theme rules read: statements' titles and texts, messages' subjects and own words.
SELECT 'statement' AS item_type, statement_id AS item_id, title, NULL AS subject, text
FROM statements
UNION ALL
SELECT 'message', message_id, NULL, subject, text
FROM messages;

-- Copy each statement's summary and topics beside its title, where the search index reads them.
UPDATE statements SET summary = s.summary, topics = s.topics
FROM statement_summaries s
WHERE statements.statement_id = s.statement_id;

-- What each kept message takes from the resolution (its list, person, thread and parent, and
-- whether an opt-out withholds its subject),
-- keyed by its row in list_parsed, so that writing the messages (list_messages.sql) joins a
-- slice of parse rows to a slice of these. Built one join at a time: the list stage runs
-- within a small memory limit (bestbits/config.py), and DuckDB can spill a join that does not
-- fit, but not several at once.
CREATE OR REPLACE TABLE list_rows_kept AS
SELECT p.rowid AS parsed_row, k.message_id, p.member, k.source, p.base_subject
FROM list_kept k JOIN list_parsed p USING (source, position);

CREATE OR REPLACE TABLE list_rows_threaded AS
SELECT r.*, w.root AS thread_id
FROM list_rows_kept r JOIN list_walk w ON w.id = r.message_id;
DROP TABLE list_rows_kept;

CREATE OR REPLACE TABLE list_rows_linked AS
SELECT r.*, l.parent_id AS in_reply_to, l.reply_source
FROM list_rows_threaded r JOIN list_links l USING (message_id);
DROP TABLE list_rows_threaded;

CREATE OR REPLACE TABLE list_message_rows AS
SELECT r.parsed_row, i.list, a.author_id, pr.opted_out, r.thread_id, r.in_reply_to,
       r.reply_source,
       pr.opted_out OR r.base_subject IN (SELECT base_subject FROM list_withheld_subjects)
           AS subject_withheld
FROM list_rows_linked r
JOIN list_inputs i USING (source)
JOIN list_author_of a ON a.member = r.member
JOIN list_persons pr ON pr.author_id = a.author_id
ORDER BY r.parsed_row;
DROP TABLE list_rows_linked;

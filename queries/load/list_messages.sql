-- The kept messages whose row in list_parsed is in [$1, $2), with their person, thread and
-- parent (list_message_rows.sql). Empty strings are stored as NULL. Run a slice at a time: one
-- insert of every message would hold all their texts in memory until it commits; the row
-- range lets the scan of list_parsed read only the slice's row groups. An opted-out person's
-- words are withheld with their name: a sign-off ("Best, Jo") would name them in every search;
-- their subject lines too, and every reply's that repeats one (list_withheld_subjects.sql).
INSERT INTO messages BY NAME
SELECT p.message_id, r.list, p.sent_at, nullif(p.sent_month, '') AS sent_month, r.author_id,
       CASE WHEN r.opted_out THEN NULL ELSE nullif(p.author_name, '') END AS author_name,
       nullif(p.domain, '') AS domain,
       CASE WHEN r.subject_withheld THEN NULL ELSE nullif(p.subject, '') END AS subject, r.thread_id,
       r.in_reply_to, r.reply_source, nullif(p.url, '') AS url,
       nullif(p.source_url, '') AS source_url, 'parsed' AS method,
       nullif(p.date_source, '') AS date_source, p.body_chars,
       CASE WHEN r.opted_out THEN NULL ELSE nullif(p.text, '') END AS text, p.lang,
       CASE WHEN p.member LIKE 'addr:%' THEN p.member END AS address_hash,
       p.message_id_derived, p.attachments_scrubbed, p.text_cut
FROM list_parsed p
JOIN list_message_rows r ON r.parsed_row = p.rowid
WHERE p.rowid >= $1 AND p.rowid < $2 AND r.parsed_row >= $1 AND r.parsed_row < $2;

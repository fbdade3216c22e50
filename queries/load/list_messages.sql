-- The kept messages whose reading-order number (seq) is in (?, ?], with their person, thread
-- and parent. Empty strings are stored as NULL. Run a slice at a time: one insert of every
-- message would hold all their texts in memory until it commits. An opted-out person's words
-- are withheld with their name: a sign-off ("Best, Jo") would name them in every search.
INSERT INTO messages BY NAME
SELECT p.message_id, i.list, p.sent_at, nullif(p.sent_month, '') AS sent_month, a.author_id,
       CASE WHEN pr.opted_out THEN NULL ELSE nullif(p.author_name, '') END AS author_name,
       nullif(p.domain, '') AS domain, nullif(p.subject, '') AS subject, w.root AS thread_id,
       l.parent_id AS in_reply_to, l.reply_source, nullif(p.url, '') AS url,
       nullif(p.source_url, '') AS source_url, 'parsed' AS method,
       nullif(p.date_source, '') AS date_source, p.body_chars,
       CASE WHEN pr.opted_out THEN NULL ELSE nullif(p.text, '') END AS text, p.lang,
       CASE WHEN p.member LIKE 'addr:%' THEN p.member END AS address_hash,
       p.message_id_derived, p.attachments_scrubbed
FROM list_kept k
JOIN list_parsed p USING (source, position)
JOIN list_inputs i USING (source)
JOIN list_author_of a ON a.member = p.member
JOIN list_persons pr ON pr.author_id = a.author_id
JOIN list_links l ON l.message_id = k.message_id
JOIN list_walk w ON w.id = k.message_id
WHERE k.seq > ? AND k.seq <= ?;

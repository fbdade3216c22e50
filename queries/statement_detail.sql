-- One statement in full: the sanitised text, its summary (written for this archive, with its basis page), dates, addressee, counts and sources.
-- @param statement_id = netmundial-draft-2014 | the statement
SELECT s.statement_id, s.title, coalesce(strftime(s.date, '%Y-%m-%d'), s.date_month) AS date,
       CASE WHEN s.date IS NULL THEN 'month only' ELSE 'day' END AS date_precision,
       s.forum, s.addressee, s.signatory_count, s.link_to_best_bits, s.url, s.text, s.text_html,
       s.notes, s.source_url, s.archived_url, s.archived_at, s.archived_match, s.archived_local,
       s.method, s.text_source_url,
       -- The capture of the statement's own page the build read, when the site was collected.
       (SELECT c.replay_url FROM item_captures c WHERE c.item_type = 'statement'
        AND c.item_id = $statement_id AND c.preferred LIMIT 1) AS url_archived_url,
       m.summary, m.topics, m.source_url AS summary_basis_url,
       m.archived_url AS summary_archived_url, m.archived_at AS summary_archived_at,
       m.archived_match AS summary_archived_match
FROM statements s LEFT JOIN statement_summaries m USING (statement_id)
WHERE s.statement_id = $statement_id;

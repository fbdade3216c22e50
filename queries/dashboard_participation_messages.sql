-- The list messages behind one mark of the Participation page (a month, year, forum, organisation, cohort, event window or thread), with archived sources; a page of $limit from $offset, with the total.
-- @param list = bestbits | the list's name; empty means every list
-- @param month: month = | a month 'YYYY-MM'; empty means any
-- @param year: integer = | a year; empty means any
-- @param forum: forum = | messages that mention this forum; empty means any
-- @param organisation = | the organisation (or sender domain) as the organisations chart names it; empty means any
-- @param cohort: integer = | only posters whose first message was in this year; empty means any
-- @param event_id = | with phase: the window around this event; empty means any
-- @param phase = | before, during or after the event
-- @param days: integer = 30 | the window before and after the event, in days (as participation_event_activity)
-- @param thread_id = | one thread; empty means any
-- @param min_messages: integer = 3 | authors are named only when they wrote at least this many messages (privacy)
-- @param limit: integer = 50 | messages in the page
-- @param offset: integer = 0 | messages skipped before the page
WITH firsts AS (
    SELECT author_id, min(year) AS cohort
    FROM list_activity
    WHERE list IS NOT DISTINCT FROM $list
    GROUP BY author_id
),
chosen_event AS (
    SELECT start_date, coalesce(end_date, start_date) AS end_date
    FROM events
    WHERE event_id = $event_id AND start_date IS NOT NULL
),
-- The page is chosen on narrow rows and only its 50 are given their names and addresses:
-- a window count over every wide row cost ~100 ms at 200,000 messages.
matched AS MATERIALIZED (
    SELECT m.message_id, m.sent_at, m.author_id, coalesce(d.organisation, m.domain) AS organisation
    FROM messages m
    LEFT JOIN domains d ON d.domain = m.domain
    LEFT JOIN firsts f USING (author_id)
    WHERE m.method = 'parsed'
      AND (m.list = $list OR $list IS NULL)
      AND ($month IS NULL OR m.sent_month = $month)
      AND ($year IS NULL OR year(m.sent_at) = CAST($year AS INTEGER))
      AND ($forum IS NULL OR EXISTS (
            SELECT 1 FROM forum_mentions fm
            WHERE fm.item_type = 'message' AND fm.item_id = m.message_id AND fm.forum = $forum))
      AND ($organisation IS NULL OR coalesce(d.organisation, m.domain) = $organisation)
      AND ($cohort IS NULL OR f.cohort = CAST($cohort AS INTEGER))
      AND ($thread_id IS NULL OR m.thread_id = $thread_id)
      AND ($event_id IS NULL OR EXISTS (
            SELECT 1 FROM chosen_event e
            WHERE ($phase = 'before' AND m.sent_at >= e.start_date - to_days(CAST($days AS INTEGER))
                                     AND m.sent_at < e.start_date)
               OR ($phase = 'during' AND m.sent_at >= e.start_date
                                     AND m.sent_at < e.end_date + INTERVAL 1 DAY)
               OR ($phase = 'after' AND m.sent_at >= e.end_date + INTERVAL 1 DAY
                                    AND m.sent_at < e.end_date + to_days(CAST($days AS INTEGER) + 1))))
),
page AS (
    SELECT * FROM matched
    ORDER BY sent_at, message_id
    LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)
)
SELECT coalesce(strftime(m.sent_at, '%Y-%m-%d %H:%M'), m.sent_month) AS sent,
       CASE WHEN p.n_messages >= CAST($min_messages AS INTEGER) AND NOT p.opted_out
            THEN p.display_name END AS author,
       g.organisation,
       m.subject,
       coalesce(m.url, m.source_url) AS source_url, m.archived_url, m.archived_at,
       m.archived_match, (SELECT count(*) FROM matched) AS total
FROM page g
JOIN messages m USING (message_id)
LEFT JOIN people p ON p.author_id = g.author_id
ORDER BY g.sent_at, g.message_id;

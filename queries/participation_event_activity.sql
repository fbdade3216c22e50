-- List activity in the $days days before, during and after each event with a known start day.
-- @param list = bestbits | the list's name; empty means every list
-- @param days: integer = 30 | the window before and after each event, in days
-- @param forum: forum = | only events of this forum; empty means every forum
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
WITH windows AS (
    SELECT event_id, title, forum, start_date, coalesce(end_date, start_date) AS end_date,
           start_date - to_days(CAST($days AS INTEGER)) AS window_start,
           coalesce(end_date, start_date) + to_days(CAST($days AS INTEGER) + 1) AS window_end
    FROM events
    WHERE start_date IS NOT NULL AND (forum = $forum OR $forum IS NULL)
      AND year(start_date) BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
),
posts AS (
    SELECT message_id, author_id, sent_at FROM messages
    WHERE method = 'parsed' AND sent_at IS NOT NULL AND (list = $list OR $list IS NULL)
      AND sent_at >= (SELECT min(window_start) FROM windows)
      AND sent_at < (SELECT max(window_end) FROM windows)
)
SELECT w.event_id, w.title, w.forum, w.start_date, w.end_date,
       count(p.message_id) FILTER (WHERE p.sent_at < w.start_date) AS messages_before,
       count(p.message_id) FILTER (WHERE p.sent_at >= w.start_date
                                     AND p.sent_at < w.end_date + INTERVAL 1 DAY) AS messages_during,
       count(p.message_id) FILTER (WHERE p.sent_at >= w.end_date + INTERVAL 1 DAY) AS messages_after,
       count(DISTINCT p.author_id) FILTER (WHERE p.sent_at < w.start_date) AS posters_before,
       count(DISTINCT p.author_id) FILTER (WHERE p.sent_at >= w.end_date + INTERVAL 1 DAY)
           AS posters_after
FROM windows w
LEFT JOIN posts p ON p.sent_at >= w.window_start AND p.sent_at < w.window_end
GROUP BY ALL
ORDER BY w.start_date, w.event_id;

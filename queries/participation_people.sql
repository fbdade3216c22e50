-- People with at least $min_messages messages in the years chosen (opted-out people left out): name, organisation, span; a page of $limit rows from $offset, with the total.
-- @param list = bestbits | the list's name; empty means every list
-- @param min_messages: integer = 5 | leave out people with fewer messages (privacy: no one-off posters)
-- @param from_year: integer = 2012 | the first year counted
-- @param to_year: integer = 2019 | the last year counted
-- @param limit: integer = 50 | rows in the page
-- @param offset: integer = 0 | rows skipped before the page
WITH counted AS (
    SELECT a.author_id, sum(a.messages) AS messages, min(a.first_month) AS first_month,
           max(a.last_month) AS last_month
    FROM list_activity a
    WHERE a.list IS NOT DISTINCT FROM $list
      AND a.year BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
    GROUP BY a.author_id
    HAVING sum(a.messages) >= CAST($min_messages AS INTEGER)
),
page AS (
    SELECT coalesce(p.display_name, 'unnamed poster ' || right(p.author_id, 6)) AS person,
           coalesce(d.organisation, p.domain) AS organisation, d.sector, c.messages,
           c.first_month, c.last_month, p.n_addresses, p.merged_by, p.author_id,
           count(*) OVER () AS total
    FROM counted c
    JOIN people p USING (author_id)
    LEFT JOIN domains d ON d.domain = p.domain
    WHERE NOT p.opted_out
    ORDER BY c.messages DESC, person, p.author_id
    LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)
),
-- Threads are counted from the messages of this page's people only.
threads AS (
    SELECT m.author_id, count(DISTINCT m.thread_id) AS threads
    FROM messages m
    WHERE m.method = 'parsed' AND m.author_id IN (SELECT author_id FROM page)
      AND (m.list = $list OR $list IS NULL)
      AND year(m.sent_at) BETWEEN CAST($from_year AS INTEGER) AND CAST($to_year AS INTEGER)
    GROUP BY m.author_id
)
SELECT page.person, page.organisation, page.sector, page.messages, page.first_month,
       page.last_month, coalesce(t.threads, 0) AS threads, page.n_addresses, page.merged_by,
       page.author_id, page.total
FROM page LEFT JOIN threads t USING (author_id)
ORDER BY page.messages DESC, page.person, page.author_id;

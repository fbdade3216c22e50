-- The busiest threads of each year (by messages), with their first subject, posters and span.
-- @param list = bestbits | the list's name; empty means every list
-- @param top = 10 | how many threads per year
WITH threads AS (
    SELECT thread_id,
           arg_min(subject, sent_at) AS subject,
           year(min(sent_at)) AS year,
           count(*) AS messages,
           count(DISTINCT author_id) AS posters,
           min(sent_at) AS first_message, max(sent_at) AS last_message,
           arg_min(coalesce(url, source_url), sent_at) AS first_url
    FROM messages
    WHERE method = 'parsed' AND sent_at IS NOT NULL AND thread_id IS NOT NULL
      AND (list = $list OR $list IS NULL)
    GROUP BY thread_id
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY year ORDER BY messages DESC, posters DESC,
                                 first_message) AS rank
    FROM threads
)
SELECT year, rank, subject, messages, posters, first_message, last_message, first_url, thread_id
FROM ranked
WHERE rank <= CAST($top AS INTEGER)
ORDER BY year, rank;

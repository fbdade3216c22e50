-- List messages in the weeks before a statement that name it or share its distinctive title words: score, evidence, thread.
-- @param statement_id = wcit-baku-2012 | the statement
-- @param weeks: integer = 8 | how many weeks before the statement's date to look
-- @search hits = title_word_hits(statement_id, weeks)
-- How it scores (README, "Statements and the list"): the statement's title words of four
-- letters or more, less common words of the field (stop list in
-- queries/search/statement_title_words.sql), are looked for at word starts in each message of
-- the window (subject and own words), through the full-text index (bestbits/search.py gives
-- one row per message and word found, and the messages that hold the whole title). Each
-- matched word weighs ln((N + 1) / (df + 0.5)), N the messages of the window and df those
-- holding the word, so a word every message of those weeks uses counts little. Naming the
-- whole title adds 5. A message is listed when it names the title or matches
-- min(2, title words) words.
WITH weights AS (
    SELECT word, ln((any_value(window_messages) + 1) / (count(*) + 0.5)) AS weight
    FROM hits WHERE word IS NOT NULL
    GROUP BY word
),
scored AS (
    SELECT h.message_id, count(*) AS words_matched,
           string_agg(h.word, ', ' ORDER BY wt.weight DESC, h.word) AS matched_words,
           sum(wt.weight) AS word_score
    FROM hits h JOIN weights wt USING (word)
    GROUP BY h.message_id
),
found AS (
    SELECT message_id, any_value(sent_at) AS sent_at, any_value(subject) AS subject,
           any_value(author_id) AS author_id, any_value(author_name) AS author_name,
           any_value(thread_id) AS thread_id, any_value(thread_subject) AS thread_subject,
           any_value(thread_messages) AS thread_messages, any_value(url) AS url,
           any_value(source_url) AS source_url, bool_or(names_title) AS names_statement,
           any_value(title_words) AS title_words
    FROM hits GROUP BY message_id
),
listed AS (
    SELECT f.*, coalesce(sc.words_matched, 0) AS words_matched, sc.matched_words,
           coalesce(sc.word_score, 0) + CASE WHEN f.names_statement THEN 5 ELSE 0 END AS score
    FROM found f
    LEFT JOIN scored sc USING (message_id)
    WHERE f.names_statement OR sc.words_matched >= least(2, f.title_words)
)
SELECT l.message_id, strftime(l.sent_at, '%Y-%m-%d') AS date, l.subject,
       CASE WHEN p.opted_out THEN NULL ELSE l.author_name END AS author_name,
       round(l.score, 2) AS score,
       concat_ws('; ', CASE WHEN l.names_statement THEN 'names the statement''s title' END,
                 CASE WHEN l.matched_words IS NOT NULL
                      THEN 'title words: ' || l.matched_words END) AS evidence,
       l.words_matched, l.thread_id, l.thread_subject, l.thread_messages,
       coalesce(l.url, l.source_url) AS archived_url
FROM listed l
LEFT JOIN people p ON p.author_id = l.author_id
ORDER BY l.score DESC, l.sent_at, l.message_id;

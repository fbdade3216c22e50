-- Baseline for benchmarks/bench_search.py and tests/test_search_index.py: statement_list_context
-- before the tantivy index (issue 20), a scan of the window's messages.
-- List messages in the weeks before a statement that name it or share its distinctive title words: score, evidence, thread.
-- @param statement_id = wcit-baku-2012 | the statement
-- @param weeks = 8 | how many weeks before the statement's date to look
-- How it scores (README, "Statements and the list"): the statement's title words of four
-- letters or more, less common words of the field (stop list below), are looked for at word
-- starts in each message of the window (subject and own words). Each matched word weighs
-- ln((N + 1) / (df + 0.5)), N the messages of the window and df those holding the word, so a
-- word every message of those weeks uses counts little. Naming the whole title adds 5. A
-- message is listed when it names the title or matches min(2, title words) words.
WITH statement AS (
    SELECT title,
           lower(regexp_replace(title, '[^\p{L}\p{N}]+', ' ', 'g')) AS title_norm,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE))) AS until_day
    FROM statements WHERE statement_id = $statement_id
),
title_words AS (
    SELECT DISTINCT word
    FROM (SELECT unnest(string_split(trim(title_norm), ' ')) AS word FROM statement)
    WHERE length(word) >= 4 AND word NOT IN (
        'about', 'against', 'also', 'best', 'bits', 'call', 'civil', 'concerning', 'from',
        'global', 'governance', 'group', 'groups', 'have', 'internet', 'into', 'joint',
        'letter', 'meeting', 'members', 'more', 'open', 'organisations', 'organizations',
        'participating', 'regarding', 'response', 'society', 'statement', 'statements',
        'submission', 'that', 'their', 'them', 'they', 'this', 'towards', 'what', 'with',
        'world', 'your')
),
window_messages AS (
    SELECT m.message_id, m.sent_at, m.subject, m.thread_id, m.author_id, m.author_name, m.url,
           m.source_url,
           ' ' || lower(regexp_replace(concat_ws(' ', m.subject, m.text), '[^\p{L}\p{N}]+', ' ',
                                       'g')) || ' ' AS words
    FROM messages m, statement s
    WHERE m.sent_at >= s.until_day - to_days(CAST($weeks AS INTEGER) * 7)
      AND m.sent_at < s.until_day + INTERVAL 1 DAY
),
hits AS (
    SELECT w.message_id, t.word
    FROM window_messages w, title_words t
    WHERE contains(w.words, ' ' || t.word)
),
weights AS (
    SELECT word, ln(((SELECT count(*) FROM window_messages) + 1) / (count(*) + 0.5)) AS weight
    FROM hits GROUP BY word
),
named AS (
    SELECT w.message_id FROM window_messages w, statement s
    WHERE length(trim(s.title_norm)) >= 12 AND contains(w.words, ' ' || trim(s.title_norm) || ' ')
),
scored AS (
    SELECT h.message_id, count(*) AS words_matched,
           string_agg(h.word, ', ' ORDER BY wt.weight DESC, h.word) AS matched_words,
           sum(wt.weight) AS word_score
    FROM hits h JOIN weights wt USING (word)
    GROUP BY h.message_id
),
listed AS (
    SELECT w.*, coalesce(sc.words_matched, 0) AS words_matched, sc.matched_words,
           coalesce(sc.word_score, 0) + CASE WHEN n.message_id IS NULL THEN 0 ELSE 5 END AS score,
           n.message_id IS NOT NULL AS names_statement
    FROM window_messages w
    LEFT JOIN scored sc USING (message_id)
    LEFT JOIN named n USING (message_id)
    WHERE n.message_id IS NOT NULL
       OR sc.words_matched >= least(2, (SELECT count(*) FROM title_words))
),
threads AS (
    SELECT thread_id, arg_min(subject, sent_at) AS thread_subject, count(*) AS thread_messages
    FROM messages WHERE thread_id IN (SELECT thread_id FROM listed)
    GROUP BY thread_id
)
SELECT l.message_id, strftime(l.sent_at, '%Y-%m-%d') AS date, l.subject,
       CASE WHEN p.opted_out THEN NULL ELSE l.author_name END AS author_name,
       round(l.score, 2) AS score,
       concat_ws('; ', CASE WHEN l.names_statement THEN 'names the statement''s title' END,
                 CASE WHEN l.matched_words IS NOT NULL
                      THEN 'title words: ' || l.matched_words END) AS evidence,
       l.words_matched, l.thread_id, t.thread_subject, t.thread_messages,
       coalesce(l.url, l.source_url) AS archived_url
FROM listed l
LEFT JOIN threads t USING (thread_id)
LEFT JOIN people p ON p.author_id = l.author_id
ORDER BY l.score DESC, l.sent_at, l.message_id;

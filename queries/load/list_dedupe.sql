-- Duplicates: the first copy of a Message-ID in reading order (input, then position) is kept;
-- every later copy is a reject that names the first. Then one ingest report row per input
-- (loaded + rejected = total, parse rejects and duplicates counted as rejected).
CREATE OR REPLACE TABLE list_copies AS
SELECT p.source, p.position, p.message_id, p.locator, i.input_no,
       row_number() OVER (PARTITION BY p.message_id ORDER BY i.input_no, p.position) AS copy_no
FROM list_parsed p JOIN list_inputs i USING (source);

CREATE OR REPLACE TABLE list_kept AS
SELECT source, position, message_id, locator, input_no,
       row_number() OVER (ORDER BY input_no, position) AS seq
FROM list_copies WHERE copy_no = 1;

INSERT INTO rejects
SELECT d.source, d.locator, 'list',
       'duplicate: the same Message-ID was loaded from ' || k.source || ' ' || k.locator
FROM list_copies d JOIN list_kept k USING (message_id)
WHERE d.copy_no > 1
ORDER BY d.input_no, d.position;

INSERT INTO rejects
SELECT r.source, r.locator, 'list', r.reason
FROM list_parse_rejects r JOIN list_inputs i USING (source)
ORDER BY i.input_no, r.position;

INSERT INTO ingest_report
WITH parsed AS (SELECT source, count(*) AS items, count(*) FILTER (WHERE copy_no = 1) AS kept
                FROM list_copies GROUP BY source),
     refused AS (SELECT source, count(*) AS items FROM list_parse_rejects GROUP BY source)
SELECT i.source, 'list',
       coalesce(p.items, 0) + coalesce(r.items, 0) AS total,
       coalesce(p.kept, 0) AS loaded,
       coalesce(p.items, 0) - coalesce(p.kept, 0) + coalesce(r.items, 0) AS rejected
FROM list_inputs i
LEFT JOIN parsed p USING (source)
LEFT JOIN refused r USING (source)
ORDER BY i.input_no;

DROP TABLE list_copies;

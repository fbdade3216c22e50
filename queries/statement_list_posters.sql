-- Which of a statement's signatories posted on the list: organisations by domain, individuals by display name; evidence, confidence.
-- @param statement_id = wcit-baku-2012 | the statement
-- Never an address: organisations are matched through the registrable domains and the
-- organisations of data/domains.csv, individuals through display names (opted-out people
-- never). Confidence: high = the curated organisation of a domain, or a name whose stated
-- organisation is the person's own; medium = a same display name, or the organisation a
-- domain stands for without curation; low = the signatory's letters equal a domain's name.
WITH signatory AS (
    SELECT name, organisation, kind,
           lower(trim(name)) AS name_key, lower(trim(organisation)) AS organisation_key,
           regexp_replace(lower(name), '[^a-z0-9]', '', 'g') AS name_letters
    FROM signatories WHERE statement_id = $statement_id
),
domain_months AS (
    SELECT domain, min(sent_month) AS first_month, max(sent_month) AS last_month
    FROM messages WHERE domain IS NOT NULL GROUP BY domain
),
organisation_matches AS (
    SELECT s.name AS signatory, s.kind, 'organisation' AS matched_as, d.organisation AS on_list,
           d.n_messages AS messages, d.n_posters AS posters, dm.first_month, dm.last_month,
           CASE WHEN s.name_key = lower(trim(d.organisation)) AND d.method = 'curated'
                THEN 'signatory name = the organisation of ' || d.domain || ' (data/domains.csv)'
                WHEN s.name_key = lower(trim(d.organisation))
                THEN 'signatory name = the organisation ' || d.domain || ' stands for'
                ELSE 'signatory name, letters only, = the name of the domain ' || d.domain END
               AS evidence,
           CASE WHEN s.name_key = lower(trim(d.organisation)) AND d.method = 'curated' THEN 'high'
                WHEN s.name_key = lower(trim(d.organisation)) THEN 'medium'
                ELSE 'low' END AS confidence
    FROM signatory s
    JOIN domains d
      ON s.name_key = lower(trim(d.organisation))
      OR (length(s.name_letters) >= 5
          AND s.name_letters = regexp_replace(lower(split_part(d.domain, '.', 1)), '[^a-z0-9]', '', 'g'))
    LEFT JOIN domain_months dm ON dm.domain = d.domain
    WHERE s.kind IS NULL OR s.kind = 'organisation'
),
person_matches AS (
    SELECT s.name, s.kind, 'individual', p.display_name, p.n_messages, NULL, p.first_month,
           p.last_month,
           'signatory name = a display name on the list'
               || CASE WHEN s.organisation_key IS NOT NULL
                            AND s.organisation_key = lower(trim(d.organisation))
                       THEN ', and the stated organisation is the one they wrote from' ELSE '' END,
           CASE WHEN s.organisation_key IS NOT NULL
                     AND s.organisation_key = lower(trim(d.organisation)) THEN 'high'
                ELSE 'medium' END
    FROM signatory s
    JOIN people p ON lower(trim(p.display_name)) = s.name_key
    LEFT JOIN domains d ON d.domain = p.domain
    WHERE NOT p.opted_out AND p.display_name IS NOT NULL
      AND (s.kind IS NULL OR s.kind = 'individual')
)
SELECT * FROM (SELECT * FROM organisation_matches UNION ALL SELECT * FROM person_matches)
ORDER BY CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, signatory;

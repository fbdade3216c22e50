-- Each statement's stated signatory count beside the endorsers read from its page, by kind (organisation, individual), and what told the kinds.
-- @param statement_id = | one statement; empty for all with parsed endorsers
SELECT s.statement_id, s.title, s.signatory_count AS stated_count,
       s.parsed_signatory_count AS endorsers_read, s.parsed_organisations AS organisations,
       s.parsed_individuals AS individuals,
       (SELECT string_agg(DISTINCT g.kind_basis, '; ' ORDER BY g.kind_basis) FROM signatories g
        WHERE g.statement_id = s.statement_id AND g.kind_basis IS NOT NULL) AS kind_from
FROM statements s
WHERE ($statement_id IS NULL OR s.statement_id = $statement_id)
  AND (s.parsed_organisations IS NOT NULL OR s.parsed_individuals IS NOT NULL)
ORDER BY s.statement_id;

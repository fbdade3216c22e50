-- Per input, the kept messages whose text reached the cap and was cut (for ingest_notes).
SELECT k.source, count(*) AS messages
FROM list_kept k JOIN list_parsed p USING (source, position)
WHERE p.text_cut
GROUP BY k.source
ORDER BY k.source;

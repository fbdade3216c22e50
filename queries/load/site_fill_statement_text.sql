-- Give a curated statement the text of its page when the curated record has none.
UPDATE statements SET text = $text, text_html = $text_html, text_source_url = $source_url,
       stated_signatory_count = $stated, parsed_signatory_count = $parsed
WHERE statement_id = $statement_id AND text IS NULL;

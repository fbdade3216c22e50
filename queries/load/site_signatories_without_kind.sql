-- Signatories no page told the kind of (the curated notable signatories): named by the known organisations, the words or the shape of the name.
SELECT DISTINCT name FROM signatories WHERE kind IS NULL;

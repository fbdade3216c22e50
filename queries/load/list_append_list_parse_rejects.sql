-- One batch of items a parser rejected, each with its reason.
INSERT INTO list_parse_rejects BY NAME SELECT * FROM incoming_batch;

-- One batch of forum mentions found in parsed messages' own text.
INSERT INTO list_parsed_mentions BY NAME SELECT * FROM incoming_batch;

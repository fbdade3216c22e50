-- One batch of parsed list messages (an Arrow table registered as incoming_batch).
INSERT INTO list_parsed BY NAME SELECT * FROM incoming_batch;

-- Copy the previous build's parsed rows of every list input whose content is unchanged.
CREATE OR REPLACE TABLE list_reused AS
SELECT path AS source FROM build_inputs WHERE reused AND kind LIKE 'list-%';

INSERT INTO list_parsed BY NAME
SELECT * FROM previous.list_parsed WHERE source IN (SELECT source FROM list_reused);
INSERT INTO list_parsed_mentions BY NAME
SELECT * FROM previous.list_parsed_mentions WHERE source IN (SELECT source FROM list_reused);
INSERT INTO list_parse_rejects BY NAME
SELECT * FROM previous.list_parse_rejects WHERE source IN (SELECT source FROM list_reused);

DROP TABLE list_reused;

-- What the build changed in items it loaded, beyond loading or rejecting them (issue 16): message
-- texts cut at the cap, signatory cells dropped because they held an address, values the
-- after-build privacy sweep redacted. Counted per input; never a person's words.
CREATE TABLE ingest_notes (
    source  VARCHAR NOT NULL,  -- the input (as in ingest_report), or table.column for the sweep
    stage   VARCHAR NOT NULL,  -- which step changed them: list | site | privacy sweep
    note    VARCHAR NOT NULL,  -- what was changed, and why
    items   INTEGER NOT NULL   -- how many items
);

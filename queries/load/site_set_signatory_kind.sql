-- Set the kind of every signatory of that name whose kind no source stated, with what told it.
UPDATE signatories SET kind = $kind, kind_basis = $kind_basis
WHERE name = $name AND kind IS NULL;

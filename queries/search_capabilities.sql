-- Whether the build could make a full-text index (else the Statements page searches literally).
SELECT full_text_search FROM search_capabilities;

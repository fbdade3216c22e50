-- Set the language of one statement that had none.
UPDATE statements SET lang = $lang WHERE statement_id = $item_id AND lang IS NULL;

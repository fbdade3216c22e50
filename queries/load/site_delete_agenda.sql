-- Remove an event's agenda before the reconciled one (curated sessions refined, parsed ones added) is stored.
DELETE FROM agenda_items WHERE event_id = $event_id;

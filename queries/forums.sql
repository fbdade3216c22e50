-- The forums the network engaged with, in the order legends and selectors show them.
SELECT forum, name, kind, sort_order FROM forums ORDER BY sort_order;

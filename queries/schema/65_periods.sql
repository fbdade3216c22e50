-- Whether an item dated by day, month or year lies wholly inside a period of days: every day
-- its date may be is from FROM_DATE to TO_DATE (a NULL bound is open; an undated item is in the
-- open period only). A statement known by its month counts in its year, but on neither side of
-- a day inside that month. The one definition of a period the network queries use.
CREATE MACRO within_period(day, month, year, from_date, to_date) AS
    (from_date IS NULL
     OR coalesce(day, CAST(month || '-01' AS DATE), make_date(year, 1, 1)) >= CAST(from_date AS DATE))
    AND (to_date IS NULL
     OR coalesce(day, last_day(CAST(month || '-01' AS DATE)), make_date(year, 12, 31)) <= CAST(to_date AS DATE));

-- The keyed base subjects withheld by an opt-out (list_withheld_subjects.sql).
SELECT base_subject FROM list_withheld_subjects;

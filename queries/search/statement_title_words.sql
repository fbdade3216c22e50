-- A statement's distinctive title words for statement_list_context (bestbits/search.py,
-- title_word_hits): its title as words (letters and digits, lower case), the last day of the
-- weeks searched (a month-only date counts to the month's last day), and the title's words of
-- four letters or more less a stop list of the field's common words.
WITH statement AS (
    SELECT lower(regexp_replace(title, '[^\p{L}\p{N}]+', ' ', 'g')) AS title_norm,
           coalesce(date, last_day(CAST(date_month || '-01' AS DATE))) AS until_day
    FROM statements WHERE statement_id = $statement_id
)
SELECT trim(title_norm), until_day,
       coalesce(list_sort(list_distinct(list_filter(string_split(trim(title_norm), ' '),
           word -> length(word) >= 4 AND word NOT IN (
        'about', 'against', 'also', 'best', 'bits', 'call', 'civil', 'concerning', 'from',
        'global', 'governance', 'group', 'groups', 'have', 'internet', 'into', 'joint',
        'letter', 'meeting', 'members', 'more', 'open', 'organisations', 'organizations',
        'participating', 'regarding', 'response', 'society', 'statement', 'statements',
        'submission', 'that', 'their', 'them', 'they', 'this', 'towards', 'what', 'with',
        'world', 'your')))), []) AS words
FROM statement;

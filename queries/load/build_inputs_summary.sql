-- Raw inputs per kind: how many, how many new or changed, how many reused.
SELECT kind, count(*), count(*) FILTER (WHERE changed), count(*) FILTER (WHERE reused)
FROM build_inputs GROUP BY kind ORDER BY kind;

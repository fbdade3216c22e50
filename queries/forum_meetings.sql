-- The forums' own meetings and decisions 2012-2019 (timeline bands), with sources.
SELECT meeting_id, forum, title, start_date, end_date, city, country, source_url,
       archived_url, archived_at, archived_match, method
FROM forum_meetings
ORDER BY start_date, meeting_id;

-- share_of_voice rows whose period starts in $start..$end ('day' and ISO 'week' periods; source_id '' = all outlets).
SELECT * FROM share_of_voice
WHERE period_start BETWEEN $start AND $end
ORDER BY period, period_start, set_name, source_id, topic_id;

-- Alerts recorded for days $start..$end, newest first.
SELECT rule_id, subject, day, kind, title, message, payload, channels, fired_at
FROM alerts WHERE day BETWEEN $start AND $end
ORDER BY day DESC, rule_id, subject;

-- Record fired alerts (registered rows alert_rows); a (rule_id, subject, day) already recorded is kept as it was.
INSERT INTO alerts (rule_id, subject, day, kind, title, message, payload, channels, fired_at)
SELECT rule_id, subject, CAST(day AS DATE), kind, title, message, CAST(payload AS JSON), channels, fired_at
FROM alert_rows
ON CONFLICT DO NOTHING;

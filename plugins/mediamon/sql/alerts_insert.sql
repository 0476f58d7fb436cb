-- Record fired alerts (registered rows alert_rows); a (rule_id, subject, day) already recorded is kept as it was
-- (NOT EXISTS rather than ON CONFLICT: also runs on DuckLake, which has no PRIMARY KEY).
INSERT INTO alerts (rule_id, subject, day, kind, title, message, payload, channels, fired_at)
SELECT rule_id, subject, CAST(day AS DATE), kind, title, message, CAST(payload AS JSON), channels, fired_at
FROM alert_rows r
WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.rule_id = r.rule_id AND a.subject = r.subject AND a.day = CAST(r.day AS DATE));

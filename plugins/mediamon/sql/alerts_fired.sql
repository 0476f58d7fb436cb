-- Which of the candidate alerts (registered rows alert_keys: rule_id, subject, day) were recorded already.
SELECT k.rule_id, k.subject, k.day
FROM alert_keys k JOIN alerts a ON a.rule_id = k.rule_id AND a.subject = k.subject AND a.day = CAST(k.day AS DATE);

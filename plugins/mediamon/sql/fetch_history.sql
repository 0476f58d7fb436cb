-- Past article fetches of the URLs in the registered Arrow table url_rows (column url), as logged:
-- requests made (1 + retries per row), runs, the latest attempt's outcome/status/skip_reason/time,
-- and whether a retry-cap decision was logged. Rows with outcome 'not_fetched' record a decision
-- not to fetch and are not attempts.
SELECT f.url,
       coalesce(sum(1 + coalesce(f.retries, 0)) FILTER (WHERE f.outcome <> 'not_fetched'), 0),
       count(*) FILTER (WHERE f.outcome <> 'not_fetched'),
       arg_max_null(f.outcome, f.fetched_at) FILTER (WHERE f.outcome <> 'not_fetched'),
       arg_max_null(f.status, f.fetched_at) FILTER (WHERE f.outcome <> 'not_fetched'),
       arg_max_null(f.skip_reason, f.fetched_at) FILTER (WHERE f.outcome <> 'not_fetched'),
       max(f.fetched_at) FILTER (WHERE f.outcome <> 'not_fetched'),
       bool_or(coalesce(f.skip_reason, '') = 'retry_cap')
FROM fetch_log f
WHERE f.kind = 'article' AND f.url IN (SELECT url FROM url_rows)
GROUP BY f.url;

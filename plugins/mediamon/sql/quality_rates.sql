-- Data-quality rates of ingest run $run_id, per source. pages: article pages received (fetch_log kind
-- 'article' with outcome 'ok', or 'error' = an exception while processing the page, e.g. a crashed or
-- timed-out extraction worker; network failures have their own outcomes: timeout, connection_error,
-- http_error, ...). extraction_failed: those whose extraction raised (outcome 'ok' with error_class set)
-- or that could not be processed (outcome 'error'). empty_text: pages that gave no text (skip_reason
-- 'empty'). Then the run's articles with their characters and U+FFFD replacement characters.
WITH pages AS (
    SELECT source_id,
           count(*) AS pages,
           count(*) FILTER (WHERE outcome = 'error' OR error_class IS NOT NULL) AS extraction_failed,
           count(*) FILTER (WHERE skip_reason = 'empty') AS empty_text
    FROM fetch_log
    WHERE run_id = $run_id AND kind = 'article' AND outcome IN ('ok', 'error') AND source_id IS NOT NULL
    GROUP BY source_id
), arts AS (
    SELECT source_id,
           count(*) AS articles,
           coalesce(sum(n_chars), 0) AS chars,
           coalesce(sum(replacement_chars), 0) AS replacement_chars
    FROM articles
    WHERE run_id = $run_id
    GROUP BY source_id
)
SELECT source_id,
       coalesce(pages.pages, 0) AS pages,
       coalesce(pages.extraction_failed, 0) AS extraction_failed,
       coalesce(pages.empty_text, 0) AS empty_text,
       coalesce(arts.articles, 0) AS articles,
       coalesce(arts.chars, 0) AS chars,
       coalesce(arts.replacement_chars, 0) AS replacement_chars
FROM pages FULL OUTER JOIN arts USING (source_id)
ORDER BY source_id;

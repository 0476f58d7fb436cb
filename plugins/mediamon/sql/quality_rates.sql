-- Data-quality rates of ingest run $run_id, per source: article pages fetched OK (fetch_log kind
-- 'article', outcome 'ok'), those whose extraction raised (error_class set), those that gave no text
-- (skip_reason 'empty'); the run's articles with their characters and U+FFFD replacement characters.
WITH pages AS (
    SELECT source_id,
           count(*) AS pages,
           count(*) FILTER (WHERE error_class IS NOT NULL) AS extraction_failed,
           count(*) FILTER (WHERE skip_reason = 'empty') AS empty_text
    FROM fetch_log
    WHERE run_id = $run_id AND kind = 'article' AND outcome = 'ok' AND source_id IS NOT NULL
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

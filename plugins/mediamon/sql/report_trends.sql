-- Articles per tracked topic and day, $trend_start..$end (dates, inclusive), every topic x day (0 when none),
-- with 7- and 28-day trailing moving averages, day-over-day change and a robust spike score:
-- (articles - median of the 28 days before) / max(1.4826 * MAD of those days, 1)   (MAD scaled to a normal sigma,
-- floored at one article so a topic that is always 0 does not turn every single article into a spike).
WITH days AS (
    SELECT CAST(d AS DATE) AS day
    FROM generate_series(CAST($trend_start AS DATE) - INTERVAL 28 DAY, CAST($end AS DATE), INTERVAL 1 DAY) g(d)
),
counts AS (
    SELECT a.day, t.topic_id, count(*) AS articles
    FROM article_topics t JOIN articles a USING (article_id)
    WHERE a.day BETWEEN CAST($trend_start AS DATE) - INTERVAL 28 DAY AND $end
    GROUP BY ALL
),
grid AS (
    SELECT d.day, tp.topic_id, tp.name AS topic_name, coalesce(c.articles, 0) AS articles
    FROM days d CROSS JOIN topics tp LEFT JOIN counts c ON c.day = d.day AND c.topic_id = tp.topic_id
),
w AS (
    SELECT *,
           avg(articles) OVER (PARTITION BY topic_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS ma7,
           avg(articles) OVER (PARTITION BY topic_id ORDER BY day ROWS BETWEEN 27 PRECEDING AND CURRENT ROW) AS ma28,
           articles - lag(articles) OVER (PARTITION BY topic_id ORDER BY day) AS change,
           median(articles) OVER (PARTITION BY topic_id ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS baseline,
           mad(articles) OVER (PARTITION BY topic_id ORDER BY day ROWS BETWEEN 28 PRECEDING AND 1 PRECEDING) AS baseline_mad
    FROM grid
)
SELECT day, topic_id, topic_name, articles, round(ma7, 3) AS ma7, round(ma28, 3) AS ma28, change,
       baseline, baseline_mad,
       round((articles - baseline) / greatest(1.4826 * baseline_mad, 1.0), 3) AS spike_score
FROM w
WHERE day BETWEEN $trend_start AND $end
ORDER BY topic_id, day;

-- Articles per tracked topic and day over all outlets, $trend_start..$end (dates, inclusive), from the topic_trends
-- view (sql/views.sql: zero-filled, 7/28-day means, day-over-day change, median/MAD baseline of the 28 days
-- before, robust spike score); configured topics only, with their names.
SELECT tt.day, tt.topic_id, tp.name AS topic_name, tt.articles, round(tt.articles_ma7, 3) AS ma7,
       round(tt.articles_ma28, 3) AS ma28, tt.change_1d AS change, tt.baseline_median AS baseline,
       tt.baseline_mad, round(tt.spike_score, 3) AS spike_score, tt.is_spike
FROM topic_trends tt JOIN topics tp USING (topic_id)
WHERE tt.source_id = '' AND tt.day BETWEEN $trend_start AND $end
ORDER BY tt.topic_id, tt.day;

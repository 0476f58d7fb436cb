-- Share of voice over $start..$end, all outlets: each topic's placements as a share of its comparison set's
-- (settings comparison_sets, table comparison_sets; without any, one set 'all topics' of every tracked topic),
-- summed over the period's days of daily_coverage (an article matching two topics of a set counts for each).
WITH sets AS (
    SELECT set_name, topic_id FROM comparison_sets
    UNION ALL
    SELECT 'all topics' AS set_name, topic_id FROM topics WHERE NOT EXISTS (SELECT 1 FROM comparison_sets)
),
per AS (
    SELECT s.set_name, s.topic_id, coalesce(sum(c.articles), 0) AS articles, coalesce(sum(c.mentions), 0) AS mentions
    FROM sets s
    LEFT JOIN daily_coverage c ON c.topic_id = s.topic_id AND c.source_id = '' AND c.day BETWEEN $start AND $end
    GROUP BY ALL
)
SELECT p.set_name AS comparison_set, p.topic_id, t.name AS topic_name, p.articles,
       round(p.articles / nullif(sum(p.articles) OVER (PARTITION BY p.set_name), 0), 4) AS share, p.mentions
FROM per p JOIN topics t USING (topic_id)
ORDER BY p.set_name, p.articles DESC, p.topic_id;

-- Largest stories per tracked topic over $start..$end: placements (articles of the story on the topic in the
-- period), outlets, the original (earliest placement: its title, link and outlet) and wire credits;
-- at most $top_n per topic, largest first.
WITH placed AS (
    SELECT t.topic_id, coalesce(s.story_id, a.article_id) AS story_id, a.article_id, a.source_id, a.title,
           a.canonical_url, a.syndication, coalesce(a.published_at, a.fetched_at) AS at
    FROM article_topics t
    JOIN articles a USING (article_id)
    LEFT JOIN article_stories s USING (article_id)
    WHERE a.day BETWEEN $start AND $end
),
stories AS (
    SELECT p.topic_id, p.story_id,
           count(*)                                       AS placements,
           count(DISTINCT p.source_id)                    AS outlets,
           arg_min(p.title, (p.at, p.article_id))         AS title,
           arg_min(p.canonical_url, (p.at, p.article_id)) AS url,
           arg_min(src.name, (p.at, p.article_id))        AS original_source,
           min(p.at)                                      AS first_published_at,
           string_agg(DISTINCT p.syndication, ', ' ORDER BY p.syndication) AS wire,
           string_agg(DISTINCT src.name, ', ' ORDER BY src.name) AS sources
    FROM placed p JOIN sources src USING (source_id)
    GROUP BY p.topic_id, p.story_id
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY topic_id ORDER BY placements DESC, first_published_at, story_id) AS rank
    FROM stories
)
SELECT r.topic_id, tp.name AS topic_name, r.rank, r.story_id, r.title, r.url, r.placements, r.outlets,
       r.original_source, r.first_published_at, r.wire, r.sources
FROM ranked r JOIN topics tp USING (topic_id)
WHERE r.rank <= $top_n
ORDER BY tp.topic_id, r.rank;

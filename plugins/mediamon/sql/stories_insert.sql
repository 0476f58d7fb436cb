-- Rebuild the stories rows of story_id_rows(story_id) from their placements (run after stories_delete).
-- original: earliest placement, preferring a page on the credited wire's own site; wire_source: most
-- frequent credit (ties: earliest credited placement).
INSERT INTO stories
WITH p AS (
    SELECT s.story_id, a.article_id, a.source_id, a.day, a.language, a.title, a.syndication,
           coalesce(a.published_at, a.fetched_at) AS t,
           lower(regexp_extract(a.canonical_url, '^[a-zA-Z]+://([^/:]+)', 1)) AS host
    FROM article_stories s JOIN articles a USING (article_id)
    WHERE s.story_id IN (SELECT story_id FROM story_id_rows)
),
credit AS (
    SELECT story_id, syndication, count(*) AS n, min(t) AS t0 FROM p WHERE syndication IS NOT NULL
    GROUP BY story_id, syndication
),
wire AS (
    SELECT story_id, arg_min(syndication, (-n, t0, syndication)) AS wire_source FROM credit GROUP BY story_id
),
wire_hosts(wire, host_suffix) AS (VALUES
    ('AP', 'apnews.com'), ('Reuters', 'reuters.com'), ('AFP', 'afp.com'), ('ANTARA', 'antaranews.com'),
    ('Xinhua', 'xinhuanet.com'), ('Xinhua', 'news.cn'), ('Bernama', 'bernama.com'), ('Kyodo', 'kyodonews.net'),
    ('Yonhap', 'yna.co.kr'), ('Anadolu', 'aa.com.tr'), ('Bloomberg', 'bloomberg.com'), ('dpa', 'dpa.com')
),
ranked AS (
    SELECT p.*, w.wire_source,
           EXISTS (SELECT 1 FROM wire_hosts h WHERE h.wire = w.wire_source
                   AND (p.host = h.host_suffix OR p.host LIKE '%.' || h.host_suffix)) AS on_wire
    FROM p LEFT JOIN wire w USING (story_id)
)
SELECT story_id,
       min(t) AS first_seen,
       max(t) AS last_seen,
       arg_min(day, (t, article_id)) AS first_day,
       list(DISTINCT day ORDER BY day) AS days,
       count(*) AS copies,
       count(DISTINCT source_id) AS outlets,
       coalesce(list(DISTINCT language ORDER BY language) FILTER (WHERE language IS NOT NULL), []) AS languages,
       arg_min(article_id, (NOT on_wire, t, article_id)) AS original_article_id,
       arg_min(title, (NOT on_wire, t, article_id)) AS headline,
       any_value(wire_source) AS wire_source
FROM ranked
GROUP BY story_id;

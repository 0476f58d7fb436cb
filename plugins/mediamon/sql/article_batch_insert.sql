-- Write the staged batch into articles (constraints checked here).
INSERT INTO articles BY NAME SELECT * FROM article_batch;

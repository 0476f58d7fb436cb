-- Forget every comparison set (store.replace_comparison_sets, before comparison_sets_insert).
DELETE FROM comparison_sets;

-- Make the lake the default catalog, so the DuckDB file's statements (unqualified table names) run on it.
USE lake;

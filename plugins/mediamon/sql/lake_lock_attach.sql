-- The catalog's PostgreSQL database, attached for advisory locks only ({dsn}: libpq DSN as a quoted literal).
ATTACH {dsn} AS mm_lock (TYPE postgres);

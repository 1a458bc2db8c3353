"""What each database needs beside the index tables: full-text structures that Django cannot describe.

PostgreSQL: the unaccent, pg_trgm and btree_gin extensions, a French text search configuration that
removes accents before stemming, a generated `tsvector` column and GIN indexes (the town first, so that
a search reads only its town's postings) with a short pending list. SQLite: an FTS5 table over the stems of search_entry, kept in
step by triggers. Beware: SQLite remakes a table for most schema changes, which drops its triggers; a
later migration changing search_entry must run SQLITE_FORWARD's trigger statements again.
"""

from django.db import migrations

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE TEXT SEARCH CONFIGURATION centreville_french (COPY = pg_catalog.french)",
    "ALTER TEXT SEARCH CONFIGURATION centreville_french "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('centreville_french'::regconfig, title), 'A') || "
    "setweight(to_tsvector('centreville_french'::regconfig, body), 'B')) STORED",
    # A small pending list: every search scans it, and a rebuild flushes it (gin_clean_pending_list).
    "CREATE INDEX search_entry_document ON search_entry USING gin (town_id, document) "
    "WITH (gin_pending_list_limit = 256)",
    "CREATE INDEX search_term_word_trigrams ON search_term USING gin (town_id, word gin_trgm_ops) "
    "WITH (gin_pending_list_limit = 256)",
]
# The extensions stay: other tables may use them, and they cost nothing.
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_word_trigrams",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS centreville_french",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_entry_fts USING fts5("
    "town_id, title_terms, body_terms, content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_entry_fts (rowid, town_id, title_terms, body_terms) "
    "VALUES (new.id, new.town_id, new.title_terms, new.body_terms); END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts (search_entry_fts, rowid, town_id, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.town_id, old.title_terms, old.body_terms); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_entry_fts (search_entry_fts, rowid, town_id, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.town_id, old.title_terms, old.body_terms); "
    "INSERT INTO search_entry_fts (rowid, town_id, title_terms, body_terms) "
    "VALUES (new.id, new.town_id, new.title_terms, new.body_terms); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def forward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[0]:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(forward, backward)]

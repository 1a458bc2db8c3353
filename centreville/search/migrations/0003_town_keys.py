"""PostgreSQL: index each entry's words under its town, so that a town's search reads its town's postings only.

The GIN index of 0002 on (town_id, document) kept one posting list per word for all towns: a common word
listed entries of every town, and a search read them whatever its town, so that its cost grew with the
whole platform's catalogue. Here each key is a word prefixed by its town (`61:pain`), computed by the
immutable function `search_town_keys(town_id, document)`; a search asks for its town's keys
(`backends.postgresql`). The vocabulary's trigram index read every town's words in the same way: typo
corrections now look their candidates up in the (town, word) unique index instead. And no search
starts parallel workers: reading one town's entries costs less than starting them, yet on a large table
the planner would.
"""

from django.db import migrations

TOWN_KEYS_FUNCTION = (
    "CREATE FUNCTION search_town_keys(town bigint, document tsvector) RETURNS text[] "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
    "$$ SELECT array_agg(town::text || ':' || lexeme) FROM unnest(tsvector_to_array(document)) AS lexeme $$"
)

FORWARD = [
    TOWN_KEYS_FUNCTION,
    "CREATE INDEX search_entry_town_keys ON search_entry USING gin (search_town_keys(town_id, document)) "
    "WITH (gin_pending_list_limit = 256)",
    "DROP INDEX search_entry_document",
    "DROP INDEX search_term_word_trigrams",
    "ALTER TABLE search_entry SET (parallel_workers = 0)",
    "ANALYZE search_entry",  # the planner's statistics on the new keys, before the first search
]
BACKWARD = [
    "ALTER TABLE search_entry RESET (parallel_workers)",
    "CREATE INDEX search_term_word_trigrams ON search_term USING gin (town_id, word gin_trgm_ops) "
    "WITH (gin_pending_list_limit = 256)",
    "CREATE INDEX search_entry_document ON search_entry USING gin (town_id, document) "
    "WITH (gin_pending_list_limit = 256)",
    "DROP INDEX search_entry_town_keys",
    "DROP FUNCTION search_town_keys(bigint, tsvector)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backend_structures")]

    operations = [migrations.RunPython(forward, backward)]

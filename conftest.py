"""What every test session shares, whatever the directory of its tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations
from xdist.scheduler import LoadFileScheduling

DEMO_TESTS = "centreville/demo/tests/"

_truncate = DatabaseOperations.sql_flush


def _delete_filled_tables(
    self: DatabaseOperations,
    style: Any,
    tables: list[str],
    *,
    reset_sequences: bool = False,
    allow_cascade: bool = False,
) -> list[str]:
    """Empty a PostgreSQL test database after a transactional test by deleting from the tables that have rows.

    Django truncates every table, which on PostgreSQL rewrites each table's files: about 3 s per browser test
    for some 250 tables. A test fills a few dozen; deleting their rows in one transaction, foreign keys
    checked at its end (Django declares them deferrable), leaves the same empty database in a tenth of that.
    """
    if reset_sequences or allow_cascade or not tables:
        return _truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    quoted = [self.quote_name(table) for table in tables]
    with self.connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {name})" for name in quoted), quoted
        )
        filled = [row[0] for row in cursor.fetchall()]
    return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {name}" for name in filled)]


DatabaseOperations.sql_flush = _delete_filled_tables  # type: ignore[method-assign,assignment]


class _SharedFixtureScheduling(LoadFileScheduling):
    """xdist's `--dist loadfile`, except that the demo's test files go to one worker, one after the other:
    they share the demo town, loaded once per package (about 20 s), which a worker running some other file
    between two of them would load again."""

    def _split_scope(self, nodeid: str) -> str:
        return DEMO_TESTS if nodeid.startswith(DEMO_TESTS) else super()._split_scope(nodeid)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadFileScheduling | None:
    return _SharedFixtureScheduling(config, log) if config.getoption("dist") == "loadfile" else None

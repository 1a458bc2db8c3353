"""One search interface, two backends: PostgreSQL full-text search, or SQLite FTS5."""

from __future__ import annotations

from django.db import connection

from .base import SearchBackend


def get_backend() -> SearchBackend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"no search backend for {connection.vendor}")

"""The demo, loaded once for all the demo tests a worker runs (a load takes seconds), on a fixed clock.

It is loaded inside a transaction that stays open while the package's tests run and is rolled back after
them; each test runs in a savepoint within it, so what a test writes is gone for the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from centreville.demo.services import DemoSummary, demo_load

# A Saturday in December, 11:00 in Paris: the Christmas market is a week ahead, Sundays are still to come.
DEMO_AT = datetime(2026, 12, 12, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="package")
def _loaded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoSummary]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            summary = demo_load(at=DEMO_AT)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_loaded_demo: DemoSummary, db: None, monkeypatch: pytest.MonkeyPatch) -> DemoSummary:
    """The demo as its first load left it (its summary), with the clock stopped at the time it was loaded."""
    monkeypatch.setattr(timezone, "now", lambda: DEMO_AT)
    return _loaded_demo

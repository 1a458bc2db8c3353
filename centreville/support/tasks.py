"""Periodic work of merchant support, enqueued by `manage.py run_scheduler` (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .shop_signals import shop_signals_refresh


@task()
def refresh_shop_signals(at: str) -> int:
    """Refresh every published shop's signals once a day (nothing to do the rest of the day)."""
    return shop_signals_refresh(at=datetime.fromisoformat(at), only_if_older_than_a_day=True)

"""Periodic work of the observatory, enqueued by `manage.py run_scheduler` (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task


@task()
def make_monthly_reports(at: str) -> int:
    """Make last month's report of each town that has none yet (nothing to do most of the time)."""
    from .services import monthly_reports_make_due  # reportlab is loaded by the worker only when needed

    return monthly_reports_make_due(at=datetime.fromisoformat(at))

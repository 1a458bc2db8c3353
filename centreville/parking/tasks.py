"""Periodic work of parking, enqueued by `manage.py run_scheduler` (registered in apps.py)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .history import downsample
from .polling import poll_feeds


@task()
def poll_parking_feeds(at: str) -> int:
    """Read every enabled feed whose turn has come; returns how many succeeded."""
    return poll_feeds(at=datetime.fromisoformat(at)).succeeded


@task()
def downsample_parking_readings(at: str) -> int:
    """Fold readings older than a month into hourly rows (nothing to do most rounds)."""
    return downsample(at=datetime.fromisoformat(at))

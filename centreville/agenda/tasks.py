"""Work for the worker: the daily extension of the never-ending rules' dates, the imports sent from the import
page."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from .import_runs import import_run_perform
from .recurrence import extend_horizons

DONE_FOR_THE_DAY = "agenda:horizons-extended:{day}"


@task()
def extend_agenda_horizons(at: str) -> int:
    """Move the dates of every never-ending rule forward, once a day (the first round of each UTC day); the
    other rounds of the day do nothing. Expires nothing else. Safe to run twice: a lost mark only runs it
    again."""
    moment = datetime.fromisoformat(at)
    key = DONE_FOR_THE_DAY.format(day=moment.date().isoformat())
    if cache.get(key):
        return 0
    refreshed = extend_horizons(at=moment)
    cache.set(key, True, timeout=int(timedelta(days=2).total_seconds()))
    return refreshed


@task()
def run_event_import(run_id: int) -> None:
    """Run a queued import of events (nothing when it is already taken: safe to run twice)."""
    import_run_perform(run_id, at=timezone.now())

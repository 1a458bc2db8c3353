"""The periodic tasks: each app registers its own in its `AppConfig.ready()`, and `manage.py run_scheduler`
enqueues every registered task every few minutes.

Core knows no task: the apps above register theirs here (a lower app never imports a higher one), so the
scheduler enqueues the orders' expiry as well as the observatory's monthly reports. Every registered task
must be safe to run twice and cheap when there is nothing to do. Rounds are periods of time (every five
minutes from the hour, say): the first scheduler to claim a period enqueues its round, so that two
schedulers started by mistake (on two servers) enqueue each task once per period, not twice. A task that
needs the time is given the round's, read once by the scheduler, as `at` (ISO 8601): the task does not read
the clock, and a test can pass any time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.db import IntegrityError, transaction
from django_redis.cache import RedisCache
from django_tasks.base import Task

from .models import SchedulerRound

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    task: Task[Any, Any]
    pass_time: bool  # enqueued with at=<the round's time, ISO 8601>

    @property
    def name(self) -> str:
        return self.task.name


_registry: dict[str, PeriodicTask] = {}


def register_periodic(task: Task[Any, Any], *, pass_time: bool = False) -> None:
    """Have the scheduler enqueue `task` at every round (with `at=` the round's time if `pass_time`).

    Registering the same task again replaces it: `ready()` may run more than once.
    """
    _registry[task.module_path] = PeriodicTask(task=task, pass_time=pass_time)


def periodic_tasks() -> list[PeriodicTask]:
    """The registered tasks, in the order the apps registered them (INSTALLED_APPS order)."""
    return list(_registry.values())


DEFAULT_PERIOD = timedelta(minutes=5)
# Rows of past rounds are kept this long (a look at what the schedulers did), then deleted.
KEEP_ROUNDS = timedelta(days=2)


def period_start(at: datetime, period: timedelta) -> datetime:
    """The start of the period `at` falls in, periods counted from the Unix epoch (so from each hour when
    the period divides an hour), in UTC."""
    seconds = int(period.total_seconds())
    stamp = int(at.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=UTC)


def claim_round(start: datetime, period: timedelta) -> bool:
    """Whether this scheduler is the first to claim the round of the period starting at `start`.

    In Redis when the cache is Redis (one `SET NX` with an expiry), in the database otherwise (a unique row):
    the cache of a single machine (files, memory) is not shared by two servers, nor locked by one.
    """
    cache = caches["default"]
    if isinstance(cache, RedisCache | DjangoRedisCache):
        seconds = int(period.total_seconds())
        return bool(cache.add(f"periodic-round:{seconds}:{int(start.timestamp())}", 1, timeout=2 * seconds))
    try:
        with transaction.atomic():
            SchedulerRound.objects.create(period_start=start)
    except IntegrityError:
        return False
    SchedulerRound.objects.filter(period_start__lt=start - KEEP_ROUNDS).delete()
    return True


def enqueue_round(*, at: datetime, period: timedelta = DEFAULT_PERIOD) -> tuple[list[str], list[str]] | None:
    """Enqueue every registered task once for the period `at` falls in, unless another scheduler did.

    Returns the names of the tasks enqueued and of those the queue refused, or None when the period's round
    had been claimed already.
    """
    if not claim_round(period_start(at, period), period):
        return None
    enqueued, failed = [], []
    for periodic in periodic_tasks():
        try:
            if periodic.pass_time:
                periodic.task.enqueue(at=at.isoformat())
            else:
                periodic.task.enqueue()
        except Exception:  # an unreachable queue now is no reason to stop trying later
            logger.exception("Could not enqueue %s", periodic.name)
            failed.append(periodic.name)
        else:
            enqueued.append(periodic.name)
    return enqueued, failed

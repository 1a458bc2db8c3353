"""Whether this server can serve: its database, its cache and its task queue answer (`/sante/pret/`).

Each check catches whatever goes wrong and reports it by the exception's class only (its message may name
hosts or users, and the readiness page is public). The queue's depth and the age of its oldest waiting task
are read from the configured backend: the database's (django-tasks-db) or RQ's in Redis.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Min, Q
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_rq import RQBackend

logger = logging.getLogger(__name__)

OK = "ok"
FAILING = "error"


class QueueUnreachable(Exception):
    """The task queue's store could not be read."""


@dataclass(frozen=True)
class QueueState:
    backend: str  # "database", "rq", or the class of another backend (the tests run tasks at once)
    queue: str
    waiting: int  # ready to run now
    scheduled: int  # waiting for a later time (retries)
    oldest_waiting_seconds: float | None  # of the tasks ready to run; None when none waits


@dataclass(frozen=True)
class CheckResult:
    state: str
    milliseconds: float
    error: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"state": self.state, "ms": round(self.milliseconds, 1)}
        if self.error:
            found["error"] = self.error
        return found | self.details


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, CheckResult]

    @property
    def ready(self) -> bool:
        return all(check.state == OK for check in self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ready else "not_ready",
            "checks": {name: check.as_dict() for name, check in self.checks.items()},
        }


def readiness(*, at: datetime) -> Readiness:
    """Check the database, the cache and the task queue, in that order; never raises."""
    return Readiness(
        checks={
            "database": _timed("database", check_database),
            "cache": _timed("cache", check_cache),
            "queue": _timed("queue", lambda: check_queue(at=at)),
        }
    )


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict[str, Any]:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise LookupError("the cache did not give back what it was given")
    finally:
        cache.delete(key)
    return {}


def check_queue(*, at: datetime) -> dict[str, Any]:
    states = task_queue_states(at=at)
    return {
        "backend": states[0].backend if states else "",
        "queues": {
            state.queue: {
                key: value for key, value in asdict(state).items() if key not in ("queue", "backend")
            }
            for state in states
        },
    }


def task_queue_states(*, at: datetime) -> list[QueueState]:
    """Each queue of the default task backend as it is `at`; QueueUnreachable when it cannot be read."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    queues = sorted(backend.queues) or ["default"]
    try:
        if isinstance(backend, DatabaseBackend):
            return [_database_queue(name, at=at) for name in queues]
        if isinstance(backend, RQBackend):
            return [_rq_queue(name, at=at) for name in queues]
    except Exception as error:
        raise QueueUnreachable(type(error).__name__) from error
    # A backend that runs tasks at once, or drops them, has nothing waiting.
    return [QueueState(type(backend).__name__, name, 0, 0, None) for name in queues]


def _database_queue(name: str, *, at: datetime) -> QueueState:
    not_deferred = Q(run_after=get_date_max())
    figures = DBTaskResult.objects.filter(status=TaskResultStatus.READY, queue_name=name).aggregate(
        waiting=Count("pk", filter=not_deferred | Q(run_after__lte=at)),
        scheduled=Count("pk", filter=~not_deferred & Q(run_after__gt=at)),
        # A deferred task waits from the time it was due, not from the time it was queued.
        oldest_queued=Min("enqueued_at", filter=not_deferred),
        oldest_due=Min("run_after", filter=~not_deferred & Q(run_after__lte=at)),
    )
    starts = [moment for moment in (figures["oldest_queued"], figures["oldest_due"]) if moment is not None]
    return QueueState(
        backend="database",
        queue=name,
        waiting=figures["waiting"],
        scheduled=figures["scheduled"],
        oldest_waiting_seconds=max(0.0, (at - min(starts)).total_seconds()) if starts else None,
    )


def _rq_queue(name: str, *, at: datetime) -> QueueState:
    import django_rq  # only installed with REDIS_URL

    queue = django_rq.get_queue(name)
    oldest_ids = queue.get_job_ids(0, 1)
    oldest = queue.fetch_job(oldest_ids[0]) if oldest_ids else None
    enqueued_at = oldest.enqueued_at if oldest is not None else None
    return QueueState(
        backend="rq",
        queue=name,
        waiting=queue.count,
        scheduled=queue.scheduled_job_registry.count,
        oldest_waiting_seconds=max(0.0, (at - enqueued_at).total_seconds()) if enqueued_at else None,
    )


def _timed(name: str, check: Callable[[], dict[str, Any]]) -> CheckResult:
    started = time.perf_counter()
    try:
        details = check()
    except Exception as error:  # a readiness probe answers "not ready", never a 500
        logger.warning("Readiness check %s failed", name, exc_info=True)
        cause = error.__cause__ if isinstance(error, QueueUnreachable) and error.__cause__ else error
        return CheckResult(FAILING, _ms_since(started), error=type(cause).__name__)
    return CheckResult(OK, _ms_since(started), details=details)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000

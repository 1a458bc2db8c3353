"""The periodic tasks: each app registers its own in its `AppConfig.ready()`, and `manage.py run_scheduler`
enqueues every registered task every few minutes.

Core knows no task: the apps above register theirs here (a lower app never imports a higher one), so the
scheduler enqueues the orders' expiry as well as the observatory's monthly reports. Every registered task
must be safe to run twice and cheap when there is nothing to do: two schedulers running by mistake do no
harm. A task that needs the time is given the round's, read once by the scheduler, as `at` (ISO 8601): the
task does not read the clock, and a test can pass any time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django_tasks.base import Task

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


def enqueue_round(*, at: datetime) -> tuple[list[str], list[str]]:
    """Enqueue every registered task once; the names of those enqueued and of those the queue refused."""
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

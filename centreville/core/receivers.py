"""How core reacts to the task queue (django-tasks' signals): a task's log lines carry the id of the request
that queued it, its slow queries are logged, and each run is counted.

The id goes through the cache (shared by every server and worker: Redis, or the file cache on one
machine), keyed by the task's id, because neither queue keeps anything beside a task's arguments. A worker
that picks a task up in the instant between its queuing and that write logs it without the id.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack, suppress
from typing import Any

from django.core.cache import cache
from django.dispatch import receiver
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.signals import log_task_started, task_enqueued, task_finished, task_started

from . import logcontext, metrics
from .requestlog import watched_queries

logger = logging.getLogger(__name__)

# Longer than any retry waits (notifications wait 2 hours before their last try).
REQUEST_ID_KEPT_SECONDS = 2 * 24 * 3600

# What each running task entered, closed when it finishes (one at a time per worker process).
_running: dict[str, ExitStack] = {}


def _cache_key(task_id: str) -> str:
    return f"task-request-id:{task_id}"


@receiver(task_enqueued, dispatch_uid="core.remember_request_id")
def remember_request_id(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    request_id = logcontext.current_request_id()
    if not request_id:
        return
    try:
        cache.set(_cache_key(task_result.id), request_id, timeout=REQUEST_ID_KEPT_SECONDS)
    except Exception:  # the task is queued: a cache down must not undo that
        logger.warning("Could not keep the request id of task %s", task_result.id, exc_info=True)


@receiver(task_started, dispatch_uid="core.task_started_in_context")
def task_started_in_context(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    try:
        request_id = cache.get(_cache_key(task_result.id))
    except Exception:
        logger.warning("Could not read the request id of task %s", task_result.id, exc_info=True)
        request_id = None
    stack = ExitStack()
    stack.enter_context(
        logcontext.bound(
            request_id=request_id or logcontext.current_request_id(), town=logcontext.current_town()
        )
    )
    stack.enter_context(watched_queries())
    _running[task_result.id] = stack


# django-tasks logs each start in a receiver connected before this one: connected again after it, its line
# carries the request id too.
if task_started.disconnect(log_task_started):
    task_started.connect(log_task_started)


@receiver(task_finished, dispatch_uid="core.task_finished_counted")
def task_finished_counted(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    metrics.count_task_run(
        task=task_result.task.module_path, failed=task_result.status == TaskResultStatus.FAILED
    )
    stack = _running.pop(task_result.id, None)
    if stack is not None:
        # Finished in another context than it started (ValueError): nothing is left to restore there.
        with suppress(ValueError):
            stack.close()

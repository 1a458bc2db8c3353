"""The RQ worker runs each task in its own process and keeps its database connection from task to task."""

from __future__ import annotations

import os

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks import task
from pytest_django.fixtures import Settings

seen: list[tuple[int, object]] = []


@task()
def notes_its_process_and_connection() -> None:
    connection.ensure_connection()
    seen.append((os.getpid(), connection.connection))


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_tasks_run_in_the_worker_process_on_one_connection_replaced_when_broken(settings: Settings) -> None:
    import django_rq
    from django_tasks_rq import Job

    settings.RQ_QUEUES = {"default": {"URL": settings.CACHES["default"]["LOCATION"]}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    seen.clear()
    # By the name run_worker gives it.
    worker = django_rq.get_worker("default", job_class=Job, worker_class="centreville.core.worker.TaskWorker")

    notes_its_process_and_connection.enqueue()
    notes_its_process_and_connection.enqueue()
    worker.work(burst=True)
    # The database went away between two tasks: the next task gets a new connection, not an error.
    connection.errors_occurred = True
    connection.connection.close()
    notes_its_process_and_connection.enqueue()
    worker.work(burst=True)
    queue.empty()

    assert [pid for pid, _ in seen] == [os.getpid()] * 3
    first, second, third = (each for _, each in seen)
    assert first is second
    assert third is not first

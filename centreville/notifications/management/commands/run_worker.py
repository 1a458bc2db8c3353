"""Run the worker of the configured task queue: the database's, or RQ's when the tasks go to Redis."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_rq import RQBackend


class Command(BaseCommand):
    help = "Run the task worker (db_worker, or rqworker when REDIS_URL is set)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run the tasks waiting now, then exit.")

    def handle(self, *args: Any, batch: bool, verbosity: int, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if isinstance(backend, DatabaseBackend):
            call_command("db_worker", batch=batch, verbosity=verbosity)
        elif isinstance(backend, RQBackend):
            # RQ's scheduler runs the retries that must wait; tasks need django-tasks-rq's job class and
            # run in the worker's process (core.worker).
            call_command(
                "rqworker",
                "default",
                with_scheduler=True,
                job_class="django_tasks_rq.Job",
                worker_class="centreville.core.worker.TaskWorker",
                burst=batch,
                verbosity=verbosity,
            )
        else:
            raise CommandError(f"The {type(backend).__name__} task backend has no worker to run.")

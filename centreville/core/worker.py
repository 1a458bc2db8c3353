"""The task worker's RQ class: each task runs in the worker's own process, as a request runs in a server's."""

from __future__ import annotations

from django.db import close_old_connections
from rq.job import Job
from rq.queue import Queue
from rq.worker import SimpleWorker


class TaskWorker(SimpleWorker):
    """RQ's default worker forks a child for every task, which opens a database connection of its own: on a
    market day that cost more CPU than both app servers together. Tasks run here in the worker's process
    and share its connections, checked before and after each task as Django does around a request
    (CONN_MAX_AGE, CONN_HEALTH_CHECKS). A task's timeout still stops it (SIGALRM). A worker that dies takes
    its task with it, as a killed child did: RQ counts the task as abandoned, and a message is sent again by
    the notifications' catch-up."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()

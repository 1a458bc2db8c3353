"""Imports of counts sent from the import page, run by the worker."""

from __future__ import annotations

from django_tasks import task

from .runs import count_import_run_stored


@task()
def import_counts(run_id: int) -> None:
    count_import_run_stored(run_id)

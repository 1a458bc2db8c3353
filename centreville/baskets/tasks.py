"""Periodic housekeeping of baskets, run by the scheduler."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def forget_stale_baskets() -> int:
    return services.baskets_forget_stale()

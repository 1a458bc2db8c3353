"""Scheduled work on orders, enqueued every few minutes by `manage.py run_scheduler`."""

from __future__ import annotations

from django_tasks import task

from .expiry import orders_expire_overdue


@task()
def expire_orders() -> int:
    return orders_expire_overdue()

"""Queued work of the notifications: writing out an order event's messages, sending each one, reminders."""

from __future__ import annotations

from django.core.management import call_command
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db import DatabaseBackend

from .reminders import orders_send_reminders
from .services import notification_send, notifications_catch_up, notifications_for_events


@task()
def announce_order_events(event_ids: list[int]) -> int:
    return notifications_for_events(event_ids=event_ids)


@task()
def send_notification(notification_id: int) -> str:
    return notification_send(notification_id=notification_id)


@task()
def send_reminders() -> int:
    return orders_send_reminders()


@task()
def catch_up_notifications() -> int:
    return notifications_catch_up()


@task()
def prune_finished_tasks() -> None:
    """Results of finished tasks kept in the database are deleted after 14 days (Redis expires its own)."""
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        call_command("prune_db_task_results", verbosity=0)

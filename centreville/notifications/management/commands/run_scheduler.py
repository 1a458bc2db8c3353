"""Enqueue the periodic tasks every few minutes: order expiry, reminders, catch-ups, stale baskets.

The task queue has no clock of its own; this small loop is it. Every task it enqueues is safe to run
twice, so two schedulers running by mistake do no harm. It lives in the highest app whose tasks it enqueues.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from centreville.baskets.tasks import forget_stale_baskets
from centreville.notifications.tasks import catch_up_notifications, prune_finished_tasks, send_reminders
from centreville.orders.tasks import expire_orders
from centreville.payments.tasks import send_unsent_payments

logger = logging.getLogger(__name__)

PERIODIC_TASKS = (
    expire_orders,
    send_reminders,
    catch_up_notifications,
    send_unsent_payments,
    forget_stale_baskets,
    prune_finished_tasks,
)


class Command(BaseCommand):
    help = "Enqueue order expiry, reminders and the catch-ups of messages and payments every N minutes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Minutes between two rounds (default: 5)."
        )
        parser.add_argument("--once", action="store_true", help="Enqueue one round, then exit.")

    def handle(self, *args: Any, interval: float, once: bool, verbosity: int, **options: Any) -> None:
        if interval <= 0:
            raise CommandError("--interval must be more than 0 minutes.")
        try:
            while True:
                self.enqueue_round(verbosity)
                if once:
                    return
                time.sleep(interval * 60)
        except KeyboardInterrupt:
            return

    def enqueue_round(self, verbosity: int) -> None:
        close_old_connections()  # this process lives long; its database connection may not
        enqueued = []
        for periodic in PERIODIC_TASKS:
            try:
                periodic.enqueue()
            except Exception:  # an unreachable queue now is no reason to stop trying later
                logger.exception("Could not enqueue %s", periodic.name)
            else:
                enqueued.append(periodic.name)
        if enqueued and verbosity:
            self.stdout.write(f"Enqueued: {', '.join(enqueued)}")

"""Enqueue the periodic tasks every few minutes: those the apps registered in `core.periodic` (order expiry,
reminders, catch-ups, the erasure of personal data kept past its period, the observatory's monthly reports…).

The task queue has no clock of its own; this small loop is it. Every task it enqueues is safe to run
twice, so two schedulers running by mistake do no harm. It lives in core and knows no app: each app
registers its periodic tasks in its `AppConfig.ready()`.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from centreville.core.periodic import enqueue_round


class Command(BaseCommand):
    help = "Enqueue the periodic tasks the apps registered (expiry, reminders, reports…) every N minutes."

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
        enqueued, _failed = enqueue_round(at=timezone.now())
        if enqueued and verbosity:
            self.stdout.write(f"Enqueued: {', '.join(enqueued)}")

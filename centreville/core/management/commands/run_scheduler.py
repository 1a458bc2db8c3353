"""Enqueue the periodic tasks every few minutes: those the apps registered in `core.periodic` (order expiry,
reminders, catch-ups, the erasure of personal data kept past its period, the observatory's monthly reports…).

The task queue has no clock of its own; this small loop is it. Run one per installation: were a second
one started by mistake (on another server), each period's round is still enqueued once, by whichever
claims it first (`core.periodic.claim_round`). It lives in core and knows no app: each app registers its
periodic tasks in its `AppConfig.ready()`.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from centreville.core.periodic import enqueue_round, period_start


class Command(BaseCommand):
    help = "Enqueue the periodic tasks the apps registered (expiry, reminders, reports…) every N minutes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Minutes between two rounds (default: 5)."
        )
        parser.add_argument("--once", action="store_true", help="Enqueue one round, then exit.")

    def handle(self, *args: Any, interval: float, once: bool, verbosity: int, **options: Any) -> None:
        if interval * 60 < 1:
            raise CommandError("--interval doit valoir au moins une seconde (1/60 de minute).")
        period = timedelta(seconds=int(interval * 60))
        try:
            while True:
                self.enqueue_round(period, verbosity)
                if once:
                    return
                # Wake at the start of the next period, where every scheduler's clock agrees on the round.
                now = timezone.now()
                time.sleep((period_start(now, period) + period - now).total_seconds() + 0.05)
        except KeyboardInterrupt:
            return

    def enqueue_round(self, period: timedelta, verbosity: int) -> None:
        close_old_connections()  # this process lives long; its database connection may not
        at = timezone.now()
        done = enqueue_round(at=at, period=period)
        if not verbosity:
            return
        start = period_start(at, period).isoformat()
        if done is None:
            self.stdout.write(f"Round of {start}: already enqueued by another scheduler.")
        elif done[0]:
            self.stdout.write(f"Round of {start}: enqueued {', '.join(done[0])}")

"""`manage.py demo_live`: while the demo is served, its car parks keep sending readings (every five minutes,
as a real feed would), so that the parking pages never turn stale. `make run` starts it with the server."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from centreville.parking.demo import demo_parking_tick
from centreville.towns.models import Town

DEMO_TOWN = "argentan"
EVERY_SECONDS = 300


class Command(BaseCommand):
    help = "Fait vivre la démonstration : une mesure des parkings d'Argentan toutes les cinq minutes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Une seule mesure, puis s'arrêter.")

    def handle(self, *args: Any, **options: Any) -> None:
        town = Town.objects.filter(slug=DEMO_TOWN).first()
        if town is None:
            self.stderr.write("Pas de ville de démonstration : lancez d'abord « manage.py demo_load ».")
            return
        while True:
            summary = demo_parking_tick(town, at=timezone.now())
            self.stdout.write(summary.line())
            if options["once"]:
                return
            time.sleep(EVERY_SECONDS)

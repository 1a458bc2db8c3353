from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from centreville.search.services import rebuild_index
from centreville.towns.models import Town


class Command(BaseCommand):
    help = "Rebuild the search index of every town, or of one town (--town slug)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", help="slug of the town whose index to rebuild")

    def handle(self, *args: Any, **options: Any) -> None:
        town_ids = None
        if options["town"]:
            town = Town.objects.filter(slug=options["town"]).first()
            if town is None:
                raise CommandError(f"Aucune ville n'a l'adresse « {options['town']} ».")
            town_ids = [town.pk]
        started = time.perf_counter()
        counts = rebuild_index(town_ids)
        self.stdout.write(
            f"search index rebuilt: {counts.entries} entries, {counts.words} words, "
            f"{time.perf_counter() - started:.1f} s"
        )

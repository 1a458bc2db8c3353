"""manage.py parking_feed_load <town> --format {ngsi-v2,opendatasoft,datex2} FILE: load one snapshot of a
live feed from a file, as a poll would. Refused items are listed with their reason; the last line is
`parking car_parks=… readings=… rejected=… stale=… free_total=… capacity_total=…`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ...live import store_snapshot
from ...models import FeedFormat
from ...parsers import FeedUnreadable, parse_feed
from ...selectors import town_by_slug


class Command(BaseCommand):
    help = (
        "Charge un instantané d'un flux de places libres (NGSI-v2, Opendatasoft ou DATEX II) "
        "depuis un fichier."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town", help="identifiant (slug) de la commune")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=list(FeedFormat.values))
        parser.add_argument("--mapping", default="", help="correspondance des champs Opendatasoft, en JSON")
        parser.add_argument("--at", default="", help="heure de lecture, ISO 8601 (par défaut : maintenant)")

    def handle(self, *args: Any, **options: Any) -> None:
        town = town_by_slug(options["town"])
        if town is None:
            raise CommandError(f"Commune inconnue : {options['town']}")
        at = datetime.fromisoformat(options["at"]) if options["at"] else timezone.now()
        if at.tzinfo is None:
            raise CommandError("--at doit donner le fuseau (par exemple 2026-03-28T10:00:00+01:00)")
        try:
            mapping = json.loads(options["mapping"]) if options["mapping"] else {}
            data = options["file"].read_bytes()
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Lecture impossible : {error}") from error
        try:
            parsed = parse_feed(options["format"], data, mapping, fetched_at=at)
        except FeedUnreadable as error:
            raise CommandError(str(error)) from error
        summary = store_snapshot(town_id=town.pk, parsed=parsed, at=at)
        for rejected in summary.rejected:
            self.stderr.write(f"{rejected.ref} refusé : {rejected.reason}")
        self.stdout.write(summary.line())

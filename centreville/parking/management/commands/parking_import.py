"""manage.py parking_import <town> FILE: import car parks from a file in the national schema
« stationnement ». Skipped lines are listed with their reason; the last line is
`parking_import created=… updated=… skipped=…`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...csv_import import ImportFailed, import_car_parks
from ...selectors import town_by_slug


class Command(BaseCommand):
    help = "Importe les parkings d'une commune depuis un fichier CSV au schéma national « stationnement »."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town", help="identifiant (slug) de la commune")
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        town = town_by_slug(options["town"])
        if town is None:
            raise CommandError(f"Commune inconnue : {options['town']}")
        try:
            data = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        try:
            report = import_car_parks(town=town, data=data)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        for skipped in report.skipped:
            self.stderr.write(f"ligne {skipped.line} ({skipped.ref or '—'}) écartée : {skipped.reason}")
        self.stdout.write(report.line())

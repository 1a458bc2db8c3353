"""Save the database, the uploaded media and a manifest in one .tar file (see `centreville.core.backup`)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _(
        "Sauvegarde la base de données et les fichiers envoyés dans une archive .tar avec son manifeste."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=None,
            help=_("Dossier où écrire l'archive (par défaut : « backups » dans le dossier des données)."),
        )

    def handle(self, *args: Any, to: Path | None, **options: Any) -> None:
        started = time.perf_counter()
        folder = to if to is not None else Path(settings.VAR_DIR) / "backups"
        try:
            result = backup_create(to=folder, at=timezone.now())
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"backup path={result.path} tables={result.tables} rows={result.rows} "
            f"media_files={result.media_files} bytes={result.bytes} seconds={seconds:.1f}"
        )

"""Restore an archive made by `manage.py backup` into an empty database, then check it table by table."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from centreville.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Restaure une archive de `manage.py backup` dans une base vide, puis vérifie le nombre de lignes et "
        "la somme de contrôle de chaque table."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help=_("L'archive .tar écrite par `manage.py backup`."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Remplacer une base qui contient déjà des données."),
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        started = time.perf_counter()
        try:
            result = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if result.pending_migrations:
            self.stderr.write(
                _("L'archive précède %(count)s migrations de cette version : lancez `manage.py migrate`.")
                % {"count": result.pending_migrations}
            )
        self.stdout.write(
            f"restore tables={result.tables} rows={result.rows} media_files={result.media_files} "
            f"verified=yes seconds={time.perf_counter() - started:.1f}"
        )

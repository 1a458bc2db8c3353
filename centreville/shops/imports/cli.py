"""What the import_osm and import_sirene commands share: arguments, the progress bar, the summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from centreville.towns.models import Town

from .common import ImportReport, SourceReader, summary_lines
from .runs import ImportFailed, import_dry_run, import_run_execute, import_run_start

BAR_WIDTH = 30
# The bar is redrawn at most this often: printing is slower than importing a row.
REDRAW_SECONDS = 0.2


class ProgressBar:
    """A one-line progress bar with counts, redrawn in place on the command's stderr."""

    def __init__(self, command: BaseCommand) -> None:
        self.command = command
        self.last_drawn = 0.0

    def __call__(self, report: ImportReport, reader: SourceReader, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last_drawn < REDRAW_SECONDS:
            return
        self.last_drawn = now
        fraction = 1.0 if final else reader.fraction
        if fraction is None:
            bar = ""
        else:
            filled = int(fraction * BAR_WIDTH)
            bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {int(fraction * 100):3d} % · "
        counts = _(
            "%(rows)s lus · %(created)s créés · %(updated)s mis à jour · %(unchanged)s inchangés · "
            "%(skipped)s ignorés"
        ) % {
            "rows": reader.rows_read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": report.skipped_total,
        }
        self.command.stderr.write(f"\r{bar}{counts}", ending="\n" if final else "")
        self.command.stderr.flush()


class ImportCommand(BaseCommand):
    source = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town", help=_("adresse (slug) de la ville, par exemple argentan"))
        parser.add_argument("file", type=Path, help=_("chemin du fichier à importer"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("lire le fichier et dire ce que l'import ferait, sans rien enregistrer"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        town = Town.objects.filter(slug=options["town"]).first()
        if town is None:
            raise CommandError(_("Aucune ville à l'adresse « %(slug)s ».") % {"slug": options["town"]})
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fichier introuvable : %(path)s") % {"path": path})
        if options["dry_run"]:
            try:
                with path.open("rb") as stream:
                    report = import_dry_run(town=town, source=self.source, stream=stream, file_name=path.name)
            except ImportFailed as error:
                raise CommandError(str(error)) from error
            self._summary(report, status="dry_run")
            return
        try:
            run = import_run_start(town=town, source=self.source, file_name=path.name, actor=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        bar = ProgressBar(self)
        last: list[tuple[ImportReport, SourceReader]] = []

        def progress(report: ImportReport, reader: SourceReader) -> None:
            last[:] = [(report, reader)]
            bar(report, reader)

        try:
            with path.open("rb") as stream:
                report = import_run_execute(run=run, stream=stream, on_progress=progress)
        except ImportFailed as error:
            if last:
                self.stderr.write("")
            raise CommandError(str(error)) from error
        if last:
            bar(report, last[0][1], final=True)
        self._summary(report, status="incomplete" if report.truncated else "done")

    def _summary(self, report: ImportReport, *, status: str) -> None:
        for line in summary_lines(report):
            self.stdout.write(line)
        # Last, one machine-readable line, for scripts and monitoring.
        self.stdout.write(
            f"import_{self.source} rows={report.rows} created={report.created} updated={report.updated} "
            f"unchanged={report.unchanged} skipped={report.skipped_total} warnings={report.warnings_total} "
            f"merged={report.merged} status={status}"
        )

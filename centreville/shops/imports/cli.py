"""What the import_osm and import_sirene commands share: arguments, the progress bar, the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from centreville.core.progress import ProgressBar
from centreville.towns.models import Town

from .common import ImportReport, SourceReader, summary_lines
from .runs import ImportFailed, import_dry_run, import_run_execute, import_run_start


class ImportProgress:
    """The import's counts on the command's stderr, behind a bar of how much of the file is read."""

    def __init__(self, command: BaseCommand) -> None:
        self.bar = ProgressBar(command.stderr)

    def __call__(self, report: ImportReport, reader: SourceReader, *, final: bool = False) -> None:
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
        self.bar.draw(reader.fraction, counts, final=final)


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
        bar = ImportProgress(self)
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

"""`manage.py import_events <town> FILE [--format ical|openagenda|auto] [--kind market]`: import events of an
iCalendar file or feed address, or of an OpenAgenda export, into the town's agenda, recorded as an import of
the town (shown on its import page). Prints what became of each event and why, then one machine-readable last
line:

    events created=… updated=… unchanged=… skipped=…

A file that cannot be read stops the command with a French message, a non-zero exit status, and nothing
written (the import is recorded as failed). Running it again creates nothing: unchanged events are left as
they are, changed ones updated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from centreville.agenda.import_runs import import_run_execute, import_run_queue, is_address
from centreville.agenda.importing.base import AUTO, FORMATS, ImportFailed, SourceFile
from centreville.agenda.models import TOWN_KINDS, EventKind
from centreville.towns.models import Town


class Command(BaseCommand):
    help = _(
        "Importe des événements dans l'agenda d'une ville : fichier ou adresse iCalendar (.ics), ou export "
        "OpenAgenda (JSON)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town", help=_("adresse (slug) de la ville, par exemple argentan"))
        parser.add_argument(
            "file", help=_("fichier à importer, ou adresse https:// ou webcal:// d'un agenda")
        )
        parser.add_argument("--format", choices=[AUTO, *FORMATS], default=AUTO, help=_("format du fichier"))
        parser.add_argument(
            "--kind",
            choices=sorted(TOWN_KINDS),
            default=EventKind.OTHER,
            help=_("type des événements dont les catégories ne disent pas le type"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        town = Town.objects.filter(slug=options["town"]).first()
        if town is None:
            raise CommandError(_("Aucune ville à l'adresse « %(slug)s ».") % {"slug": options["town"]})
        location: str = options["file"]
        source = None
        if not is_address(location):
            path = Path(location)
            if not path.is_file():
                raise CommandError(_("Fichier introuvable : %(path)s") % {"path": path})
            source = SourceFile(path.name, path.read_bytes())
        now = timezone.now()
        run = import_run_queue(
            town=town,
            actor=None,
            at=now,
            file_format=options["format"],
            default_kind=options["kind"],
            upload=source,
            address=location if source is None else "",
            keep_file=False,
        )
        try:
            report = import_run_execute(run=run, at=now, source=source)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(report.summary_line())

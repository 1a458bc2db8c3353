"""`manage.py import_lots <enterprise_slug> FILE`: import a producer's lots from a spreadsheet (CSV, XLSX)
or, with `--dfc`, from a DFC catalogue (JSON-LD). Skipped lines are listed; the last line is machine-readable:

    lots created=… updated=… unchanged=… skipped=…

A file that cannot be read stops the command with a French message, a non-zero exit status, and nothing
written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from centreville.enterprises.models import Enterprise
from centreville.lots import dfc, lot_import


class Command(BaseCommand):
    help = _("Importe les lots d'un producteur depuis un tableur (CSV, XLSX) ou un catalogue DFC (JSON-LD).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("enterprise", help=_("adresse (slug) du producteur"))
        parser.add_argument("file", type=Path, help=_("fichier à importer"))
        parser.add_argument(
            "--dfc",
            action="store_true",
            help=_("le fichier est un catalogue DFC (JSON-LD) ; par défaut, lu d'après son extension"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        enterprise = Enterprise.objects.filter(slug=options["enterprise"], is_producer=True).first()
        if enterprise is None:
            raise CommandError(
                _("Aucun producteur à l'adresse « %(slug)s ».") % {"slug": options["enterprise"]}
            )
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Fichier illisible : %(error)s") % {"error": error}) from error
        if options["dfc"] or path.suffix.lower() in (".jsonld", ".json"):
            try:
                report = dfc.dfc_import(enterprise=enterprise, content=content)
            except dfc.DfcRefused as refused:
                raise CommandError("\n".join(refused.messages)) from refused
            for item in report.items:
                reason = f" : {item.reason}" if item.reason else ""
                self.stdout.write(f"{item.sku} — {item.title} : {item.outcome_label}{reason}")
            self.stdout.write(report.summary)
            return
        try:
            lines = lot_import.lot_import(enterprise=enterprise, content=content, filename=path.name)
        except lot_import.ImportRefused as refused:
            raise CommandError(refused.message) from refused
        for line in lines.lines:
            if line.outcome == "skipped":
                self.stdout.write(line.text)
        self.stdout.write(lines.summary)

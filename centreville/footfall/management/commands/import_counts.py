"""`manage.py import_counts <town> FILE...`: import footfall counts, with a progress bar on stderr and a
summary whose last line is machine-readable:

    counts rows=… imported=… updated=… unchanged=… rejected=… channels=… total=… first=… last=…

(rows: values read; total: the sum of the counts now stored for the files' channels; first, last: the first
and last count stored for them, in the town's local time, ISO 8601). A file that cannot be read stops the
command with a French message, a non-zero exit status, and nothing written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _

from centreville.core.progress import ProgressBar
from centreville.footfall.importing import FORMATS, ImportFailed, ImportReport, SourceFile, reason_label
from centreville.footfall.models import CountingSite, MobilityKind
from centreville.footfall.runs import count_import_execute, count_import_start
from centreville.footfall.stamps import LocalClock
from centreville.towns.models import Town

# Rejected lines printed per reason; all are in the import's report on the town's pages.
LINES_SHOWN = 10


class Command(BaseCommand):
    help = _(
        "Importe des comptages de fréquentation : exports de compteurs (une colonne par canal) ou fichiers "
        "du schéma national Comptage des mobilités (sites, canaux et mesures ensemble)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town", help=_("adresse (slug) de la ville, par exemple argentan"))
        parser.add_argument("files", nargs="+", type=Path, help=_("fichiers à importer"))
        parser.add_argument(
            "--site",
            default="",
            help=_(
                "site (identifiant ou nom) où ranger les nouveaux canaux des exports de compteurs ; par "
                "défaut, un site nommé d'après le fichier"
            ),
        )
        parser.add_argument(
            "--kind",
            choices=MobilityKind.values,
            default=MobilityKind.PEDESTRIAN,
            help=_("type des nouveaux canaux des exports de compteurs"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sources = [self._source(path) for path in options["files"]]
        town = Town.objects.filter(slug=options["town"]).first()
        if town is None:
            raise CommandError(_("Aucune ville à l'adresse « %(slug)s ».") % {"slug": options["town"]})
        site = None
        if options["site"]:
            site = (
                CountingSite.objects.for_town(town)
                .filter(Q(external_id=options["site"]) | Q(name=options["site"]))
                .first()
            )
            if site is None:
                raise CommandError(
                    _("Aucun site de comptage « %(site)s » dans cette ville.") % {"site": options["site"]}
                )
        try:
            run = count_import_start(
                town=town,
                file_names=[source.name for source in sources],
                actor=None,
                site=site,
                kind=options["kind"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        bar = ProgressBar(self.stderr)

        def progress(stage: str, fraction: float, report: ImportReport) -> None:
            counts = _("%(rows)s valeurs lues · %(rejected)s rejetées") % {
                "rows": report.rows,
                "rejected": report.rejected,
            }
            if stage == "writing":
                bar.draw(
                    fraction, _("enregistrement… · %(counts)s") % {"counts": counts}, final=fraction >= 1
                )
            else:
                bar.draw(fraction, counts)

        try:
            report = count_import_execute(run=run, sources=sources, on_progress=progress)
        except ImportFailed as error:
            self.stderr.write("")
            raise CommandError(str(error)) from error
        for line in summary_lines(report):
            self.stdout.write(line)
        self.stdout.write(report.summary_line(LocalClock(town.timezone)))

    def _source(self, path: Path) -> SourceFile:
        try:
            return SourceFile(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(
                _("Fichier illisible : %(path)s (%(error)s)") % {"path": path, "error": error.strerror}
            ) from error


def summary_lines(report: ImportReport) -> list[str]:
    """The report in French, for people: the files, the counts, then the rejected lines by reason."""
    lines = [
        _("%(name)s : %(format)s, %(encoding)s%(step)s")
        % {
            "name": info["name"],
            "format": FORMATS.get(info["format"], info["format"]),
            "encoding": info["encoding"],
            "step": f", {info['step']}" if info["step"] else "",
        }
        for info in report.files
    ]
    lines.append(
        _(
            "%(rows)s valeurs lues : %(imported)s nouvelles, %(updated)s mises à jour, "
            "%(unchanged)s inchangées, %(rejected)s rejetées ; %(channels)s canaux."
        )
        % {
            "rows": report.rows,
            "imported": report.imported,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "rejected": report.rejected,
            "channels": report.channels,
        }
    )
    for reason, count in report.reasons.items():
        lines.append(f"  - {reason_label(reason)} : {count}")
        shown = [rejection for rejection in report.rejections if rejection["reason"] == reason][:LINES_SHOWN]
        for rejection in shown:
            where = _("%(file)s ligne %(line)s") % {"file": rejection["file"], "line": rejection["line"]}
            detail = " · ".join(part for part in (rejection["channel"], rejection["value"]) if part)
            lines.append(f"      · {where}" + (f" : {detail}" if detail else ""))
    return lines

"""`manage.py export_dfc <enterprise_slug> [--base-url URL] [--output FILE]`: a producer's catalogue as DFC
JSON-LD, on standard output or into a file; its nodes are named under the address of its download page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from centreville.enterprises.models import Enterprise
from centreville.lots import dfc


class Command(BaseCommand):
    help = _("Exporte le catalogue d'un producteur au format DFC (JSON-LD).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("enterprise", help=_("adresse (slug) du producteur"))
        parser.add_argument(
            "--base-url",
            default="https://localhost",
            help=_("adresse du site, par exemple https://exemple.fr"),
        )
        parser.add_argument("--output", type=Path, help=_("fichier où écrire le catalogue"))

    def handle(self, *args: Any, **options: Any) -> None:
        enterprise = Enterprise.objects.filter(slug=options["enterprise"], is_producer=True).first()
        if enterprise is None:
            raise CommandError(
                _("Aucun producteur à l'adresse « %(slug)s ».") % {"slug": options["enterprise"]}
            )
        path = reverse("lots_import:dfc_export", args=[enterprise.slug])
        body = dfc.catalogue_json(enterprise=enterprise, document_url=options["base_url"].rstrip("/") + path)
        if options["output"]:
            options["output"].write_text(body, encoding="utf-8")
        else:
            self.stdout.write(body)

"""`manage.py demo_load`: load (or bring back) the demo towns and print the demo logins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from centreville.demo.services import DEMO_PASSWORD, DemoSummary, demo_load


class Command(BaseCommand):
    help = "Charge la démonstration (Argentan, Écouché-les-Vallées) et affiche les comptes de démonstration."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Charger la démonstration même avec les réglages de production (crée un administrateur "
            "au mot de passe connu).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if str(settings.SETTINGS_MODULE).endswith(".production") and not options["allow_production"]:
            raise CommandError(
                "Réglages de production : la démonstration crée des comptes au mot de passe public. "
                "Ajoutez --allow-production si c'est bien voulu."
            )
        summary = demo_load(at=timezone.now())
        self.print_summary(summary)

    def print_summary(self, summary: DemoSummary) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Démonstration en place : {summary.towns} villes, {summary.territories} territoire, "
                f"{summary.shops} commerces ({summary.published_shops} publiés, "
                f"{summary.categories_used} métiers), {summary.products} produits."
            )
        )
        if summary.created_shops or summary.created_products or summary.created_logins:
            self.stdout.write(
                f"Créés à l'instant : {summary.created_shops} commerces, "
                f"{summary.created_products} produits, {summary.created_logins} comptes."
            )
        else:
            self.stdout.write("Rien de nouveau : la démonstration était déjà chargée.")

        headers = ("Rôle", "E-mail", "Mot de passe", "Ville")
        rows = [(login.role, login.email, login.password, login.town) for login in summary.logins]
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

        if summary.voucher_wallet:
            self.stdout.write(
                f"Un bon d'achat de démonstration, tel que son titulaire le voit : {summary.voucher_wallet}"
            )

        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        self.stdout.write(self.style.MIGRATE_HEADING(line(headers)))
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line(row))

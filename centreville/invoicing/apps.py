from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "centreville.invoicing"
    label = "invoicing"
    verbose_name = _("Factures des producteurs : numérotation, avoirs, Factur-X, bulletins d'achat")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects them)

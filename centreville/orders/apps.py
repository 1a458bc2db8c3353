from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "centreville.orders"
    label = "orders"
    verbose_name = _("Commandes")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (personal data of accounts, outcomes of payments)

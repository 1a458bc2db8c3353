from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "centreville.orders"
    label = "orders"
    verbose_name = _("Commandes")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (personal data of accounts, outcomes of payments)
        from .tasks import expire_orders

        register_periodic(expire_orders)

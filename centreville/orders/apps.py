from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "centreville.orders"
    label = "orders"
    verbose_name = _("Commandes")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (personal data of accounts, outcomes of payments)
        from .retention import order_retention_period, orders_personal_data_purge
        from .tasks import expire_orders

        register_periodic(expire_orders)
        register_retention(
            RetentionRule(
                key="orders",
                data=_(
                    "Le nom, le téléphone, l'e-mail et l'adresse de livraison du client sur ses commandes "
                    "terminées (la commande, ses articles et ses montants restent, sans nom)"
                ),
                period=order_retention_period,
                purge=orders_personal_data_purge,
                position=10,
            )
        )

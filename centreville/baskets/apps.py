from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasketsConfig(AppConfig):
    name = "centreville.baskets"
    label = "baskets"
    verbose_name = _("Paniers")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention

        from . import receivers  # noqa: F401  (imported for its receivers, which connect on import)
        from .services import abandoned_basket_period, baskets_purge_abandoned

        register_retention(
            RetentionRule(
                key="baskets",
                data=_("Les paniers abandonnés (les articles choisis, avant de commander)"),
                period=abandoned_basket_period,
                purge=baskets_purge_abandoned,
                position=20,
            )
        )

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasketsConfig(AppConfig):
    name = "centreville.baskets"
    label = "baskets"
    verbose_name = _("Paniers")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (imported for its receivers, which connect on import)
        from .tasks import forget_stale_baskets

        register_periodic(forget_stale_baskets)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WholesaleConfig(AppConfig):
    name = "centreville.wholesale"
    label = "wholesale"
    verbose_name = _("Commandes professionnelles : drives, tournées, commandes régulières")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from .tasks import generate_standing_orders

        register_periodic(generate_standing_orders, pass_time=True)

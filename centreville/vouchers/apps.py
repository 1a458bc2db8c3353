from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "centreville.vouchers"
    label = "vouchers"
    verbose_name = _("Bons d'achat et cartes cadeaux de la ville")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (connects the sales to the payments' outcomes)
        from .tasks import expire_vouchers

        register_periodic(expire_vouchers, pass_time=True)

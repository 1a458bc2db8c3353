from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "centreville.vouchers"
    label = "vouchers"
    verbose_name = _("Bons d'achat et cartes cadeaux de la ville")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (connects the sales to the payments' outcomes)
        from .retention import vouchers_personal_data_purge, vouchers_retention_period
        from .tasks import expire_vouchers

        register_periodic(expire_vouchers, pass_time=True)
        register_retention(
            RetentionRule(
                key="vouchers",
                data=_("Le nom et l'adresse des bénéficiaires et des acheteurs de bons d'achat"),
                period=vouchers_retention_period,
                purge=vouchers_personal_data_purge,
                position=15,
            )
        )

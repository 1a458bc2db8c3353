from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "centreville.payments"
    label = "payments"
    verbose_name = _("Paiements")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import checks  # noqa: F401  (registers the settings check)
        from .tasks import send_unsent_payments

        register_periodic(send_unsent_payments)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "centreville.payments"
    label = "payments"
    verbose_name = _("Paiements")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from . import checks  # noqa: F401  (registers the settings check)
        from .services import payment_event_period, payment_events_purge
        from .tasks import send_unsent_payments

        register_periodic(send_unsent_payments)
        register_retention(
            RetentionRule(
                key="payment_events",
                data=_(
                    "Ce que le prestataire de paiement nous transmet (il peut nommer le payeur et son e-mail)"
                ),
                period=payment_event_period,
                purge=payment_events_purge,
                position=40,
            )
        )

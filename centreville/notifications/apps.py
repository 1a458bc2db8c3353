from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "centreville.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from . import (
            receivers,  # noqa: F401  (connects the reactions to the orders' steps)
            vouchers,  # noqa: F401  (and to the sales of the town's vouchers)
            wholesale,  # noqa: F401  (and to the professional orders' steps)
        )
        from .services import notification_period, notifications_purge
        from .tasks import catch_up_notifications, prune_finished_tasks, send_reminders

        register_periodic(send_reminders)
        register_periodic(catch_up_notifications)
        register_periodic(prune_finished_tasks)
        register_retention(
            RetentionRule(
                key="notifications",
                data=_("Les e-mails et SMS envoyés au sujet des commandes (destinataire et contenu)"),
                period=notification_period,
                purge=notifications_purge,
                position=30,
            )
        )

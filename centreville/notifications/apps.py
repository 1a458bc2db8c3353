from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "centreville.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (connects the reactions to the orders' steps)
        from .tasks import catch_up_notifications, prune_finished_tasks, send_reminders

        register_periodic(send_reminders)
        register_periodic(catch_up_notifications)
        register_periodic(prune_finished_tasks)

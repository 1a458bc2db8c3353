from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "centreville.support"
    label = "support"
    verbose_name = _("Accompagnement numérique des commerçants")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (connects its receivers)
        from .tasks import refresh_shop_signals, send_training_reminders

        register_periodic(refresh_shop_signals, pass_time=True)
        register_periodic(send_training_reminders, pass_time=True)

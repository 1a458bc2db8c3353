from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivityConfig(AppConfig):
    name = "centreville.activity"
    label = "activity"
    verbose_name = _("Fréquentation de la plateforme")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the receivers)

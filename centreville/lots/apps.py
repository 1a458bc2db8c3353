from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotsConfig(AppConfig):
    name = "centreville.lots"
    label = "lots"
    verbose_name = _("Lots : ce que les producteurs ont à vendre en gros, maintenant")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the receivers)

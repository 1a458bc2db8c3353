from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShopsConfig(AppConfig):
    name = "centreville.shops"
    label = "shops"
    verbose_name = _("Commerces")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (imported for its receivers, which connect on import)

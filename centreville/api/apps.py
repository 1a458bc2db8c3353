from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "centreville.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (imported for its receivers, which connect on import)

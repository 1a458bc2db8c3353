from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "centreville.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the index to shop and product changes)

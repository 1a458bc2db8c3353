from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "centreville.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention

        from . import receivers  # noqa: F401  (imported for its receivers, which connect on import)
        from .services import api_token_period, api_tokens_purge

        register_retention(
            RetentionRule(
                key="tokens",
                data=_("Les jetons d'API des applications des commerçants"),
                period=api_token_period,
                purge=api_tokens_purge,
                position=50,
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "centreville.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from centreville.accounts.services import on_password_change

        from .services import api_tokens_revoke_all

        # Whoever knew the old password may have made tokens: a new password shuts them out too.
        on_password_change(lambda user: api_tokens_revoke_all(user=user))

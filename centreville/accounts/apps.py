from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "centreville.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from . import checks  # noqa: F401  (registers the check of the retention periods)
        from .retention import RetentionRule, register_retention
        from .services import sign_in_data_period, sign_in_data_purge
        from .tasks import purge_personal_data

        # One job erases what every app keeps too long: the apps above register their rules here.
        register_periodic(purge_personal_data, pass_time=True)
        register_retention(
            RetentionRule(
                key="sessions",
                data=_(
                    "Les sessions de connexion (qui vous êtes une fois connecté, votre panier de visiteur)"
                ),
                period=sign_in_data_period,
                purge=sign_in_data_purge,
                position=60,
            )
        )

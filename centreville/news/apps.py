from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "centreville.news"
    label = "news"
    verbose_name = _("Actualités et promotions : abonnements et lettres")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from . import receivers  # noqa: F401  (connects its receivers)
        from .retention import news_period, news_purge
        from .tasks import news_round

        register_periodic(news_round, pass_time=True)
        register_retention(
            RetentionRule(
                key="news",
                data=_("Les abonnements aux actualités et offres, la preuve des consentements, les envois"),
                period=news_period,
                purge=news_purge,
                position=45,
            )
        )

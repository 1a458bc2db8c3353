from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "centreville.agenda"
    label = "agenda"
    verbose_name = _("Agenda : événements de la ville et offres des commerces")

    def ready(self) -> None:
        from centreville.accounts.retention import RetentionRule, register_retention
        from centreville.core.periodic import register_periodic

        from .import_runs import import_runs_period, import_runs_purge
        from .tasks import extend_agenda_horizons

        register_periodic(extend_agenda_horizons, pass_time=True)
        register_retention(
            RetentionRule(
                key="agenda_imports",
                data=_("L'historique des imports de l'agenda : qui a importé quel fichier ou quelle adresse"),
                period=import_runs_period,
                purge=import_runs_purge,
                position=55,
            )
        )

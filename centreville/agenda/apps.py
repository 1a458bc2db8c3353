from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "centreville.agenda"
    label = "agenda"
    verbose_name = _("Agenda : événements de la ville et offres des commerces")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from .tasks import extend_agenda_horizons

        register_periodic(extend_agenda_horizons, pass_time=True)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "centreville.observatory"
    label = "observatory"
    verbose_name = _("Observatoire du centre-ville")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from .tasks import make_monthly_reports

        register_periodic(make_monthly_reports, pass_time=True)

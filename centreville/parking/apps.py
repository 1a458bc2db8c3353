from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkingConfig(AppConfig):
    name = "centreville.parking"
    label = "parking"
    verbose_name = _("Stationnement : parkings et places libres en temps réel")

    def ready(self) -> None:
        from centreville.core.periodic import register_periodic

        from .tasks import downsample_parking_readings, poll_parking_feeds

        register_periodic(poll_parking_feeds, pass_time=True)
        register_periodic(downsample_parking_readings, pass_time=True)

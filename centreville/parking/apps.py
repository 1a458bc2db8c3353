from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParkingConfig(AppConfig):
    name = "centreville.parking"
    label = "parking"
    verbose_name = _("Stationnement : parkings et places libres en temps réel")

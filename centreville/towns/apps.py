from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TownsConfig(AppConfig):
    name = "centreville.towns"
    label = "towns"
    verbose_name = _("Villes")

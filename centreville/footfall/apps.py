from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FootfallConfig(AppConfig):
    name = "centreville.footfall"
    label = "footfall"
    verbose_name = _("Fréquentation du centre-ville (compteurs)")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WholesaleConfig(AppConfig):
    name = "centreville.wholesale"
    label = "wholesale"
    verbose_name = _("Commandes professionnelles : drives, tournées, commandes régulières")

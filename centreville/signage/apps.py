from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignageConfig(AppConfig):
    name = "centreville.signage"
    label = "signage"
    verbose_name = _("QR codes et affiches")

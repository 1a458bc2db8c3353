from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "centreville.enterprises"
    label = "enterprises"
    verbose_name = _("Entreprises : producteurs et acheteurs professionnels")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "centreville.news"
    label = "news"
    verbose_name = _("Actualités et promotions : abonnements et lettres")

"""The rules of trade pages (Sundays, braderie declarations), by audience."""

from django.urls import URLPattern, path

from . import views_trade_rules_manage as manage
from . import views_trade_rules_merchant as merchant

# Under /<town>/espace-commercant/offres/.
merchant_urlpatterns: list[URLPattern] = [
    path("dimanches/", merchant.sundays, name="sundays"),
    path("dimanches/<int:sunday_id>/<slug:shop_slug>/ouvrir/", merchant.sunday_join, name="sunday_join"),
    path("dimanches/<int:sunday_id>/<slug:shop_slug>/fermer/", merchant.sunday_leave, name="sunday_leave"),
]
# Under /<town>/gestion/agenda/.
manage_urlpatterns: list[URLPattern] = [
    path("dimanches/", manage.sundays, name="sundays"),
    path("dimanches/<int:sunday_id>/retirer/", manage.sunday_remove, name="sunday_remove"),
    path("braderies/", manage.declarations, name="declarations"),
    path("braderies/<int:declaration_id>/decision/", manage.declaration_decide, name="declaration_decide"),
    path("braderies/<int:declaration_id>/agenda/", manage.declaration_event, name="declaration_event"),
]

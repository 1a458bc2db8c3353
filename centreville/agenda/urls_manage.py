from . import urls_events, urls_imports, urls_offers, urls_trade_rules

app_name = "agenda_manage"

# Under /<town>/gestion/agenda/.
urlpatterns = [
    *urls_events.manage_urlpatterns,
    *urls_offers.manage_urlpatterns,
    *urls_trade_rules.manage_urlpatterns,
    *urls_imports.manage_urlpatterns,
]

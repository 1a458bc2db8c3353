from . import urls_offers, urls_trade_rules

app_name = "agenda_merchant"

# Under /<town>/espace-commercant/offres/.
urlpatterns = [
    *urls_trade_rules.merchant_urlpatterns,
    *urls_offers.merchant_urlpatterns,
]

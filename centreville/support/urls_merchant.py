from . import urls_coaching, urls_diagnostic, urls_training

app_name = "support_merchant"

# Under /<town>/espace-commercant/accompagnement/.
urlpatterns = [
    *urls_diagnostic.merchant_urlpatterns,
    *urls_training.merchant_urlpatterns,
    *urls_coaching.merchant_urlpatterns,
]

from django.urls import path

from . import views_account

# Under /<town>/revendications/, in the namespace "shops_claims" that the manager's side of the claims
# shares (`centreville.shops.urls_manage.claim_urlpatterns`): both are mounted together in config/urls.py.
claim_urlpatterns = [
    path("commerces/<slug:shop_slug>/", views_account.claim_shop, name="claim"),
]

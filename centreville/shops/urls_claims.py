from django.urls import path

from . import views_claims

app_name = "shops_claims"

urlpatterns = [
    path("gestion/", views_claims.claim_list, name="manage"),
    path("gestion/<int:claim_id>/", views_claims.claim_decide, name="decide"),
    path("commerces/<slug:shop_slug>/", views_claims.claim_shop, name="claim"),
]

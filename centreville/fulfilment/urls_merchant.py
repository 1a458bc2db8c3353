from django.urls import path

from . import views_merchant as views

app_name = "fulfilment_merchant"

urlpatterns = [
    path("commerces/<slug:shop_slug>/retrait/", views.shop_settings, name="shop_settings"),
]

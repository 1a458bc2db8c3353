from django.urls import path  # noqa: F401

from . import views_merchant  # noqa: F401

app_name = "vouchers_merchant"

# Under /<town>/espace-commercant/bons/
urlpatterns: list = []

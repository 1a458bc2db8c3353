from django.urls import path  # noqa: F401

from . import views_public  # noqa: F401

app_name = "vouchers_public"

# Under /<town>/bons/
urlpatterns: list = []

from django.urls import path  # noqa: F401

from . import views_manage  # noqa: F401

app_name = "vouchers_manage"

# Under /<town>/gestion/bons/
urlpatterns: list = []

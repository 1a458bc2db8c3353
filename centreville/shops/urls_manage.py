from django.urls import path

from . import views  # noqa: F401  (views arrive with this module's pages)

app_name = "shops_manage"

urlpatterns: list = []

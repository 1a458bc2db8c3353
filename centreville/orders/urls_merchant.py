# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "orders_merchant"
urlpatterns: list[URLPattern] = []

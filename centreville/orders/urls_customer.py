# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "orders_customer"
urlpatterns: list[URLPattern] = []

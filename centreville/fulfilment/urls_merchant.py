# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "fulfilment_merchant"
urlpatterns: list[URLPattern] = []

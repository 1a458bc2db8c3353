# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "fulfilment_manage"
urlpatterns: list[URLPattern] = []

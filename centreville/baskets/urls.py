# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "baskets"
urlpatterns: list[URLPattern] = []

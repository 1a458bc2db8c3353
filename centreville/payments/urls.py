# PLACEHOLDER — being written.
from django.urls import URLPattern

app_name = "payments"
urlpatterns: list[URLPattern] = []

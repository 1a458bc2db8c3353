"""The merchant's orders, under /<town>/espace-commercant/commandes/."""

from django.urls import path

from . import views_merchant as views

app_name = "orders_merchant"
urlpatterns = [
    path("", views.order_day, name="day"),
    path("preparation/", views.preparation, name="preparation"),
    path("export/", views.export_form, name="export"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("<slug:reference>/etape/", views.order_step, name="step"),
]

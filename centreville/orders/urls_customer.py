"""The customer's orders, under /<town>/commande/: their list, and each checkout's private tracking link."""

from django.urls import path

from . import views_customer as views

app_name = "orders_customer"
urlpatterns = [
    path("", views.my_orders, name="list"),
    path("<str:token>/", views.track, name="track"),
    path("<str:token>/annuler/", views.cancel, name="cancel"),
]

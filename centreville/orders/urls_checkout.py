"""The checkout of the town basket, under /<town>/panier/commande/: it places the basket's orders."""

from django.urls import path

from . import views_customer as views

app_name = "orders_checkout"
urlpatterns = [
    path("", views.checkout_page, name="checkout"),
]

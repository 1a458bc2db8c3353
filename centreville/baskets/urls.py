"""The town basket, under /<town>/panier/; its checkout is the orders app's."""

from django.urls import path

from centreville.orders import views_customer

from . import views

app_name = "baskets"
urlpatterns = [
    path("", views.basket_page, name="detail"),
    path("ajouter/", views.basket_add_view, name="add"),
    path("lignes/<int:line_id>/", views.basket_line_update, name="line"),
    path("lignes/<int:line_id>/retirer/", views.basket_line_remove, name="remove"),
    path("commande/", views_customer.checkout_page, name="checkout"),
]

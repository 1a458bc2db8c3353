"""The town basket, under /<town>/panier/; its checkout (/<town>/panier/commande/) is the orders app's."""

from django.urls import path

from . import views

app_name = "baskets"
urlpatterns = [
    path("", views.basket_page, name="detail"),
    path("ajouter/", views.basket_add_view, name="add"),
    path("lignes/<int:line_id>/", views.basket_line_update, name="line"),
    path("lignes/<int:line_id>/retirer/", views.basket_line_remove, name="remove"),
]

"""A buyer's pages, under /pro/<enterprise_slug>/."""

from django.urls import path

from . import views_buyer

app_name = "wholesale_buyer"

urlpatterns = [
    path("panier/", views_buyer.basket, name="basket"),
    path("panier/ajouter/", views_buyer.basket_add_view, name="basket_add"),
    path("panier/ligne/<int:line_id>/", views_buyer.basket_line, name="basket_line"),
    path("panier/commander/", views_buyer.checkout_view, name="checkout"),
    path("achats/", views_buyer.orders, name="orders"),
    path("achats/<str:reference>/", views_buyer.order, name="order"),
    path("achats/<str:reference>/annuler/", views_buyer.order_cancel, name="order_cancel"),
    path("achats/<str:reference>/chaque-semaine/", views_buyer.order_repeat, name="order_repeat"),
    path("commandes-regulieres/", views_buyer.standing_orders, name="standing_orders"),
    path("commandes-regulieres/nouvelle/", views_buyer.standing_new, name="standing_new"),
    path("commandes-regulieres/<int:pk>/", views_buyer.standing_order, name="standing_order"),
    path("commandes-regulieres/<int:pk>/lots/", views_buyer.standing_lines, name="standing_lines"),
    path("commandes-regulieres/<int:pk>/pause/", views_buyer.standing_pause, name="standing_pause"),
    path("commandes-regulieres/<int:pk>/reprendre/", views_buyer.standing_resume, name="standing_resume"),
    path("commandes-regulieres/<int:pk>/arreter/", views_buyer.standing_end, name="standing_end"),
]

"""From a lot seen on a public page to a buyer's basket: the person chooses which enterprise buys."""

from django.urls import path

from . import views_buyer

app_name = "wholesale_order"

urlpatterns = [
    path("<int:lot_id>/", views_buyer.order_from_lot, name="from_lot"),
]

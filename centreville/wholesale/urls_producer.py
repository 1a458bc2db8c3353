"""A producer's pages, under /pro/<enterprise_slug>/."""

from django.urls import path

from . import views_producer

app_name = "wholesale_producer"

urlpatterns = [
    path("commandes/", views_producer.orders, name="orders"),
    path("commandes/preparation/", views_producer.pick_list_view, name="pick_list"),
    path("commandes/drive/<int:drive_id>/", views_producer.drive_list, name="drive_list"),
    path("commandes/<str:reference>/", views_producer.order, name="order"),
    path("commandes/<str:reference>/etape/", views_producer.order_step, name="order_step"),
    path("commandes/<str:reference>/ajuster/", views_producer.order_adjust_view, name="order_adjust"),
    path("tournees/", views_producer.delivery_rounds, name="delivery_rounds"),
    path(
        "tournees/<int:round_id>/arreter/",
        views_producer.delivery_round_stop_view,
        name="delivery_round_stop",
    ),
    path("drives/", views_producer.drive_points, name="drive_points"),
    path("drives/<int:drive_id>/", views_producer.drive_point_membership, name="drive_point_membership"),
]

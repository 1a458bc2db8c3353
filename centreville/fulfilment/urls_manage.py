from django.urls import path

from . import views_manage as views

app_name = "fulfilment_manage"

urlpatterns = [
    path("", views.town_settings, name="settings"),
    path("aide-livraison.csv", views.subsidy_csv, name="subsidy_csv"),
    path("points-relais/", views.relay_point_list, name="relay_point_list"),
    path("points-relais/nouveau/", views.relay_point_create, name="relay_point_create"),
    path("points-relais/<int:pk>/", views.relay_point_edit, name="relay_point_edit"),
    path("points-relais/<int:pk>/service/", views.relay_point_active, name="relay_point_active"),
    path("consignes/", views.locker_list, name="locker_list"),
    path("consignes/nouvelle/", views.locker_create, name="locker_create"),
    path("consignes/<int:pk>/", views.locker_edit, name="locker_edit"),
    path("consignes/<int:pk>/service/", views.locker_active, name="locker_active"),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/nouvelle/", views.zone_create, name="zone_create"),
    path("zones/<int:pk>/", views.zone_edit, name="zone_edit"),
    path("zones/<int:pk>/service/", views.zone_active, name="zone_active"),
]

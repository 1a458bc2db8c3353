from django.urls import path

from . import views_public

app_name = "parking_public"

# Under /<town>/stationnement/.
urlpatterns = [
    path("", views_public.board, name="board"),
    path("carte.geojson", views_public.board_map, name="map"),
    path("stationnement.csv", views_public.export_csv, name="export"),
]

from django.urls import path

from . import views_public

app_name = "lots_public"

# Under /<town>/producteurs/.
urlpatterns = [
    path("", views_public.lots_around, name="around"),
    path("carte.geojson", views_public.lots_around_map, name="map"),
    path("<slug:enterprise_slug>/", views_public.producer, name="producer"),
]

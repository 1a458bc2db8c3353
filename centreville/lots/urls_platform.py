from django.urls import path

from . import views_public

app_name = "lots_platform"

# Under /producteurs/: the same pages as a town's, with every active producer of the platform.
urlpatterns = [
    path("", views_public.platform_lots_around, name="around"),
    path("carte.geojson", views_public.platform_lots_around_map, name="map"),
    path("<slug:enterprise_slug>/", views_public.platform_producer, name="producer"),
]

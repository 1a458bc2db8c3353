from django.urls import path

from . import views_public

app_name = "shops"

# The shop pages and their products' pages, under the same prefix: centreville.catalogue.urls.
urlpatterns = [
    path("", views_public.shop_directory, name="directory"),
    path("carte.geojson", views_public.shop_directory_map, name="directory_map"),
]

from django.urls import path

from . import views

app_name = "shops"

# The shop pages and their products' pages, under the same prefix: centreville.catalogue.urls.
urlpatterns = [
    path("", views.shop_directory, name="directory"),
    path("carte.geojson", views.shop_directory_map, name="directory_map"),
]

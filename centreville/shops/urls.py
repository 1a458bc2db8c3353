from django.urls import path

from centreville.catalogue import views as catalogue_views

from . import views

app_name = "shops"

urlpatterns = [
    path("", views.shop_directory, name="directory"),
    path("carte.geojson", views.shop_directory_map, name="directory_map"),
    path("<slug:shop_slug>/", views.shop_detail, name="detail"),
    path("<slug:shop_slug>/produits/<slug:product_slug>/", catalogue_views.product_detail, name="product"),
]

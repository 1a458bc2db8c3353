from django.urls import path

from . import views

app_name = "catalogue"

# Under /<town>/commerces/, beside the shop directory (centreville.shops.urls_public).
urlpatterns = [
    path("<slug:shop_slug>/", views.shop_detail, name="shop"),
    path("<slug:shop_slug>/produits/<slug:product_slug>/", views.product_detail, name="product"),
]

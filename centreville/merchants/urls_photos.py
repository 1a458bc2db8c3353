"""Photo pages of the merchant area, included by `centreville.merchants.urls` (namespace "merchants")."""

from django.urls import path

from . import views_photos as views

SHOP = "commerces/<slug:shop_slug>/photos/"
PRODUCT = "commerces/<slug:shop_slug>/produits/<slug:product_slug>/photos/"

urlpatterns = [
    path(SHOP, views.shop_photos_page, name="shop_photos"),
    path(f"{SHOP}<int:photo_id>/description/", views.shop_photo_update, name="shop_photo_update"),
    path(f"{SHOP}<int:photo_id>/deplacer/", views.shop_photo_move, name="shop_photo_move"),
    path(f"{SHOP}<int:photo_id>/retirer/", views.shop_photo_remove, name="shop_photo_remove"),
    path(PRODUCT, views.product_photos_page, name="product_photos"),
    path(f"{PRODUCT}<int:photo_id>/description/", views.product_photo_update, name="product_photo_update"),
    path(f"{PRODUCT}<int:photo_id>/deplacer/", views.product_photo_move, name="product_photo_move"),
    path(f"{PRODUCT}<int:photo_id>/retirer/", views.product_photo_remove, name="product_photo_remove"),
]

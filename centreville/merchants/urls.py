from django.urls import path

from . import views, views_payments, views_photos, views_product_import, views_products

app_name = "merchants"

SHOP = "commerces/<slug:shop_slug>/"
PRODUCT = f"{SHOP}produits/<slug:product_slug>/"
SHOP_PHOTOS = f"{SHOP}photos/"
PRODUCT_PHOTOS = f"{PRODUCT}photos/"
SHOP_PHOTO = f"{SHOP_PHOTOS}<int:photo_id>/"
PRODUCT_PHOTO = f"{PRODUCT_PHOTOS}<int:photo_id>/"

urlpatterns = [
    path("", views.merchant_home, name="home"),
    path("nouveau-commerce/", views.shop_create, name="shop_create"),
    path("modele-produits.csv", views_product_import.import_template, name="import_template"),
    path(SHOP, views.shop_edit, name="shop_edit"),
    path(f"{SHOP}statut/", views.shop_transition, name="shop_transition"),
    path(f"{SHOP}fermetures/", views.shop_closures, name="shop_closures"),
    path(
        f"{SHOP}fermetures/<int:closure_id>/retirer/", views.shop_closure_remove, name="shop_closure_remove"
    ),
    path(f"{SHOP}paiement/", views_payments.shop_payment, name="shop_payment"),
    path(f"{SHOP}paiement/connecter/", views_payments.shop_payment_start, name="shop_payment_start"),
    path(f"{SHOP}paiement/retour/", views_payments.shop_payment_return, name="shop_payment_return"),
    path(f"{SHOP}paiement/reprendre/", views_payments.shop_payment_resume, name="shop_payment_resume"),
    path(f"{SHOP}produits/", views_products.product_list, name="products"),
    path(f"{SHOP}produits/nouveau/", views_products.product_create, name="product_create"),
    path(f"{SHOP}produits/importer/", views_product_import.products_import, name="products_import"),
    path(PRODUCT, views_products.product_edit, name="product_edit"),
    path(f"{PRODUCT}supprimer/", views_products.product_delete, name="product_delete"),
    path(f"{PRODUCT}stock/", views_products.product_stock, name="product_stock"),
    path(f"{PRODUCT}stock/ajuster/", views_products.product_stock_adjust, name="product_stock_adjust"),
    path(f"{PRODUCT}prix/", views_products.product_price, name="product_price"),
    path(f"{PRODUCT}visibilite/", views_products.product_visibility, name="product_visibility"),
    path(SHOP_PHOTOS, views_photos.shop_photos_page, name="shop_photos"),
    path(f"{SHOP_PHOTO}description/", views_photos.shop_photo_update, name="shop_photo_update"),
    path(f"{SHOP_PHOTO}deplacer/", views_photos.shop_photo_move, name="shop_photo_move"),
    path(f"{SHOP_PHOTO}retirer/", views_photos.shop_photo_remove, name="shop_photo_remove"),
    path(PRODUCT_PHOTOS, views_photos.product_photos_page, name="product_photos"),
    path(f"{PRODUCT_PHOTO}description/", views_photos.product_photo_update, name="product_photo_update"),
    path(f"{PRODUCT_PHOTO}deplacer/", views_photos.product_photo_move, name="product_photo_move"),
    path(f"{PRODUCT_PHOTO}retirer/", views_photos.product_photo_remove, name="product_photo_remove"),
]

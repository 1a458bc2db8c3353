"""Mounted at /<town>/qr/. Shop slugs never hold a dot, so the town's files cannot shadow a shop."""

from django.urls import path

from . import views_manage, views_merchant, views_public

app_name = "signage"

urlpatterns = [
    path("", views_public.town_scan, name="town_scan"),
    path("code.svg", views_manage.town_qr_svg, name="town_qr_svg"),
    path("code.png", views_manage.town_qr_png, name="town_qr_png"),
    path("affiche.pdf", views_manage.town_poster, name="town_poster"),
    # Two segments, so it cannot take the scan address of a shop; a shop slugged "ville" keeps its own
    # codes and poster files, only its print page would be this one.
    path("ville/imprimer/", views_manage.town_print, name="town_print"),
    path("<slug:shop_slug>/", views_public.shop_scan, name="shop_scan"),
    path("<slug:shop_slug>/imprimer/", views_merchant.shop_print, name="shop_print"),
    path("<slug:shop_slug>/code.svg", views_merchant.shop_qr_svg, name="shop_qr_svg"),
    path("<slug:shop_slug>/code.png", views_merchant.shop_qr_png, name="shop_qr_png"),
    path("<slug:shop_slug>/affiche.pdf", views_merchant.shop_poster, name="shop_poster"),
]

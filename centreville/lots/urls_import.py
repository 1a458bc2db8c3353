"""A producer's imports and exports of lots, under /pro/<enterprise_slug>/lots/."""

from django.urls import path

from . import views_import

app_name = "lots_import"

urlpatterns = [
    path("importer/", views_import.lots_import, name="lots_import"),
    path("importer/modele-lots.csv", views_import.import_template, name="import_template"),
    path("importer-dfc/", views_import.dfc_import, name="dfc_import"),
    path("dfc.jsonld", views_import.dfc_export, name="dfc_export"),
]

from django.urls import path

from . import views_imports

app_name = "shops_imports"

urlpatterns = [
    path("", views_imports.import_index, name="index"),
    path("<int:run_id>/", views_imports.import_run, name="run"),
    path("<int:run_id>/rapport.csv", views_imports.import_run_report, name="run_report"),
    path("horaires/<int:shop_id>/verifie/", views_imports.hours_checked, name="hours_checked"),
]

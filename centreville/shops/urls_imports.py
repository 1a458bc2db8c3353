from django.urls import path

from . import views_imports

app_name = "shops_imports"

urlpatterns = [
    path("", views_imports.import_index, name="index"),
    path("<int:run_id>/", views_imports.import_run, name="run"),
]

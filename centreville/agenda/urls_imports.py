"""The import of events from the town team's pages, mounted in `urls_manage.py` (/<town>/gestion/agenda/)."""

from django.urls import path

from . import views_imports

manage_urlpatterns = [
    path("imports/", views_imports.import_events, name="imports"),
]

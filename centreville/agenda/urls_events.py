"""The agenda's events pages, by audience; `urls_manage.py` mounts them (organisers and the town team)."""

from django.urls import URLPattern, path

from . import views_events_manage as manage

# Under /<town>/espace-commercant/offres/: none (a shop's offers are in `urls_offers`).
merchant_urlpatterns: list[URLPattern] = []
# Under /<town>/gestion/agenda/.
manage_urlpatterns: list[URLPattern] = [
    path("", manage.events, name="events"),
    path("nouveau/", manage.event_create, name="event_create"),
    path("<int:event_id>/modifier/", manage.event_edit, name="event_edit"),
    path("<int:event_id>/statut/", manage.event_status, name="event_status"),
    path("<int:event_id>/publication/", manage.event_publication, name="event_publication"),
    path("<int:event_id>/supprimer/", manage.event_delete, name="event_delete"),
    path("a-valider/", manage.moderation, name="moderation"),
    path("a-valider/<int:event_id>/", manage.moderation_decide, name="moderation_decide"),
    path("reglages/", manage.agenda_settings, name="settings"),
]

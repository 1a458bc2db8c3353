from django.urls import path, re_path

from . import views_public

# An event's address ends with its id (`marche-du-samedi-42`) or is its uid: nothing else of the agenda's
# addresses (feeds, imports) can be taken for one.
EVENT_KEY = r"(?P<key>(?:[-\w]*-)?\d+|[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"

# Mounted by urls_public.py under /<town>/agenda/ (namespace agenda_public).
public_urlpatterns = [
    path("", views_public.agenda, name="agenda"),
    re_path(rf"^{EVENT_KEY}/$", views_public.event_detail, name="event"),
]

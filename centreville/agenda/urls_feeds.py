"""The agenda's calendar files, mounted in `urls_public.py` under /<town>/agenda/."""

from django.urls import path

from . import views_feeds

public_urlpatterns = [
    path("agenda.ics", views_feeds.town_feed, name="feed"),
    path("types/<slug:kind>.ics", views_feeds.kind_feed, name="kind_feed"),
    path("commerces/<slug:shop_slug>.ics", views_feeds.shop_feed, name="shop_feed"),
    path("evenements/<uuid:uid>.ics", views_feeds.event_ics, name="event_ics"),
]

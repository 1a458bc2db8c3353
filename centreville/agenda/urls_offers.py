"""The shops' offers pages; `urls_merchant.py` mounts them."""

from django.urls import URLPattern, path

from . import views_offers_merchant as merchant

# Under /<town>/espace-commercant/offres/.
merchant_urlpatterns: list[URLPattern] = [
    path("", merchant.offers, name="offers"),
    path("<slug:shop_slug>/nouvelle/", merchant.offer_create, name="offer_create"),
    path("<slug:shop_slug>/<int:event_id>/modifier/", merchant.offer_edit, name="offer_edit"),
    path("<slug:shop_slug>/<int:event_id>/supprimer/", merchant.offer_delete, name="offer_delete"),
]
# Under /<town>/gestion/agenda/: the town team checks offers in the queue of `urls_events`.
manage_urlpatterns: list[URLPattern] = []

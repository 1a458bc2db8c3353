"""The coaching pages' addresses, by audience; `urls_merchant.py`, `urls_manage.py` and
`urls_public.py` mount them.
"""

from django.urls import URLPattern, path

from . import views_coaching_manage as manage
from . import views_coaching_merchant as merchant

# Under /<town>/espace-commercant/accompagnement/.
merchant_urlpatterns: list[URLPattern] = [
    path("coaching/", merchant.coaching_home, name="coaching_home"),
    path("coaching/<int:action_id>/", merchant.coaching_action, name="coaching_action"),
    path("coaching/<int:action_id>/rendez-vous/", merchant.coaching_book, name="coaching_book"),
    path("coaching/<int:action_id>/preference/", merchant.coaching_preference, name="coaching_preference"),
    path("coaching/<int:action_id>/avis/", merchant.coaching_review, name="coaching_review"),
    path("coaching/rendez-vous/<int:meeting_id>/", merchant.coaching_meeting, name="coaching_meeting"),
]
# Under /<town>/gestion/accompagnement/.
manage_urlpatterns: list[URLPattern] = [
    path("coaching/", manage.programme_list, name="coaching_programmes"),
    path("coaching/nouveau/", manage.programme_create, name="coaching_programme_create"),
    path("coaching/<int:programme_id>/", manage.programme_detail, name="coaching_programme"),
    path("coaching/<int:programme_id>/experts/", manage.programme_experts, name="coaching_programme_experts"),
    path("coaching/<int:programme_id>/binome/", manage.programme_pair, name="coaching_pair"),
    path("coaching/<int:programme_id>/binomes.csv", manage.programme_export, name="coaching_export"),
    path("coaching/actions/<int:action_id>/", manage.action_detail, name="coaching_action"),
    path(
        "coaching/actions/<int:action_id>/etapes/", manage.action_milestone_add, name="coaching_milestone_add"
    ),
    path(
        "coaching/actions/<int:action_id>/etapes/<int:milestone_id>/faite/",
        manage.milestone_done,
        name="coaching_milestone_done",
    ),
    path("coaching/actions/<int:action_id>/rendez-vous/", manage.action_book, name="coaching_book"),
    path("coaching/actions/<int:action_id>/bilan/", manage.action_review, name="coaching_review"),
    path("coaching/actions/<int:action_id>/statut/", manage.action_step, name="coaching_action_step"),
    path("coaching/rendez-vous/<int:meeting_id>/", manage.meeting_update, name="coaching_meeting"),
    path("coaching/rendez-vous/<int:meeting_id>/note/", manage.meeting_note, name="coaching_note"),
]
public_urlpatterns: list[URLPattern] = []

"""A person's data export holds what they did in merchant support beyond training (see test_training_views):
the diagnostics they took and the notes and reviews they wrote as an expert; erasing the account leaves
those with the shop, unsigned."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from centreville.accounts.models import User
from centreville.accounts.tests.factories import DEFAULT_PASSWORD
from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.support.models import CoachingMeeting, Diagnostic
from centreville.support.models.coaching import MeetingStatus

from .factories_coaching import CoachingActionFactory, CoachingEndReviewFactory, CoachingMeetingFactory
from .factories_diagnostic import completed_diagnostic, questionnaire_version

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 10, 14, 30, tzinfo=ZoneInfo("Europe/Paris"))


def test_the_export_lists_diagnostics_taken_and_what_an_expert_wrote_and_erasure_unsigns_them() -> None:
    action = CoachingActionFactory.create()
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    questionnaire_version({"a": [(False, [0, 2])]}, town=action.town, at=AT - timedelta(days=30))
    completed_diagnostic(shop=action.shop, user=merchant, chosen={"a": [2]}, started=AT, completed=AT)
    meeting = CoachingMeetingFactory.create(
        action=action,
        starts_at=AT,
        status=MeetingStatus.HELD,
        note="Fiche Google revue.",
        note_by=action.expert,
    )
    CoachingEndReviewFactory.create(
        action=action, written_by=action.expert, what_changed="Paiement en ligne."
    )

    expert = action.expert
    assert expert is not None

    def export_of(user: User) -> Any:
        client = Client()
        client.force_login(user)
        return json.loads(client.get("/compte/espace/mes-donnees/").content)

    (diagnostic,) = export_of(merchant)["autodiagnostics"]
    assert (diagnostic["commerce"], diagnostic["score"]) == (action.shop.name, 100)
    coaching = export_of(expert)["accompagnement"]
    assert coaching["notes_de_rendez_vous"][0]["note"] == "Fiche Google revue."
    assert coaching["bilans"][0]["ce_qui_a_change"] == "Paiement en ligne."

    for person in (merchant, expert):
        client = Client()
        client.force_login(person)
        client.post("/compte/espace/supprimer/", {"password": DEFAULT_PASSWORD})
    assert Diagnostic.objects.get().taken_by is None
    kept = CoachingMeeting.objects.get(pk=meeting.pk)
    assert (kept.note, kept.note_by) == ("Fiche Google revue.", None)

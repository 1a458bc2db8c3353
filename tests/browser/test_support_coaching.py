"""Coaching in a browser: an expert writes the note after a meeting and books the next one; a merchant on a
320 px phone picks a quiet slot (with JavaScript and without); French and English, axe-clean."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.shops.tests.factories import ShopMembershipFactory
from centreville.support.models import CoachingAction
from centreville.support.models.coaching import ActionKind, MeetingStatus
from centreville.support.tests.factories_coaching import (
    CoachingActionFactory,
    CoachingMeetingFactory,
    CoachingProgrammeFactory,
)

from .conftest import Argentan, NewContext
from .helpers import NARROW, assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser


@pytest.fixture
def action(argentan: Argentan) -> CoachingAction:
    """The bakery, coached on its online payment since last week."""
    programme = CoachingProgrammeFactory.create(town=argentan.town, name="Printemps numérique")
    return CoachingActionFactory.create(
        programme=programme, shop=argentan.bakery, started_on=timezone.localdate() - timedelta(days=7)
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_expert_writes_the_note_then_books_the_next_meeting(
    new_context: NewContext, live_server: Any, action: CoachingAction, lang: str
) -> None:
    meeting = CoachingMeetingFactory.create(action=action, starts_at=timezone.now() - timedelta(minutes=30))
    page = signed_in(new_context(), live_server, action.expert, lang)
    page.goto(f"/argentan/gestion/accompagnement/coaching/actions/{action.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boulangerie du Marché")
    assert_accessible(page)

    page.get_by_label(translated(lang, "Note après le rendez-vous")).fill(
        "Compte de paiement ouvert ; reste à tester un achat."
    )
    page.get_by_label(translated(lang, "Prochaine étape")).fill("Passer une commande d'essai")
    page.get_by_role("button", name=translated(lang, "Enregistrer la note")).click()
    expect(page.get_by_role("status")).to_contain_text(
        translated(lang, "La note est enregistrée ; le commerçant peut la lire.")
    )
    expect(page.locator(".coaching-note").first).to_contain_text("Compte de paiement ouvert")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert_accessible(page)

    first_slot = page.locator("input[name=starts_at]").first
    first_slot.check()
    chosen = first_slot.get_attribute("value")
    page.get_by_role("button", name=translated(lang, "Réserver ce créneau")).click()
    expect(page.get_by_role("heading", name=translated(lang, "Prochain rendez-vous"))).to_be_visible()
    booked = action.meetings.get(status=MeetingStatus.BOOKED)
    assert booked.starts_at.isoformat() == chosen or booked.starts_at.astimezone().isoformat() == chosen
    assert_accessible(page)
    screenshot(page, f"coaching-expert-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_picks_a_slot_on_a_phone(
    new_context: NewContext, live_server: Any, action: CoachingAction, lang: str
) -> None:
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    phone = new_context(viewport=NARROW, has_touch=True, is_mobile=True)
    page = signed_in(phone, live_server, merchant, lang)
    page.goto("/argentan/espace-commercant/accompagnement/coaching/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, ActionKind(action.kind).label))
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"coaching-merchant-slots-{lang}")

    page.locator(".slot-times label").first.click()
    page.get_by_role("button", name=translated(lang, "Réserver ce créneau")).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("button", name=translated(lang, "Annuler ce rendez-vous"))).to_be_visible()
    meeting = action.meetings.get()
    assert meeting.status == MeetingStatus.BOOKED
    assert meeting.confirmed_at is not None
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"coaching-merchant-booked-{lang}")


def test_without_javascript_a_merchant_books_then_cancels(
    new_context: NewContext, live_server: Any, action: CoachingAction
) -> None:
    merchant = ShopMembershipFactory.create(shop=action.shop).user
    page = signed_in(new_context(viewport=NARROW, java_script_enabled=False), live_server, merchant)
    page.goto(f"/argentan/espace-commercant/accompagnement/coaching/{action.pk}/")
    page.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.get_by_role("alert")).to_contain_text("Choisissez un créneau.")
    page.locator(".slot-times label").nth(1).click()
    page.get_by_role("button", name="Réserver ce créneau").click()
    page.get_by_role("button", name="Annuler ce rendez-vous").click()
    expect(page.get_by_role("status")).to_contain_text("Rendez-vous annulé")
    assert action.meetings.get().status == MeetingStatus.CANCELLED

"""A shop's offer in a browser: a merchant on a 360 px phone adds a tasting during the town's Christmas market
in one screen, sees it waiting for the town's check, the manager approves it from the queue and the merchant
sees it published. French and English, axe-clean."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.accounts.models import Role
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.agenda.models import Event, EventKind, Publication
from centreville.agenda.tests.factories import EventFactory
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_adds_an_offer_to_a_town_event_and_the_manager_approves_it(
    new_context: NewContext, live_server: Any, argentan: Argentan, lang: str
) -> None:
    now = timezone.now()
    market = EventFactory.create(
        town=argentan.town,
        kind=EventKind.CHRISTMAS_MARKET,
        title="Marché de Noël",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=8),
        occurrences=now,
    )
    merchant = ShopMembershipFactory.create(shop=argentan.bakery).user
    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user

    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, merchant, lang)
    page.goto("/argentan/espace-commercant/offres/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes offres et animations"))
    assert_accessible(page)
    page.get_by_role("link", name=translated(lang, "Ajouter une offre")).click()
    page.wait_for_url("**/nouvelle/")
    assert_fits(page)
    assert_accessible(page)
    page.get_by_label(translated(lang, EventKind.TASTING.label)).check()
    page.get_by_label(translated(lang, "Titre")).fill("Dégustation de galettes")
    page.get_by_label(translated(lang, "Date")).fill(
        market.starts_at.astimezone(timezone.get_current_timezone()).date().isoformat()
    )
    page.get_by_label(translated(lang, "Heure de début")).fill("10:00")
    page.get_by_label(translated(lang, "Heure de fin")).fill("12:00")
    page.get_by_label(translated(lang, "Pendant un événement de la ville")).select_option(str(market.pk))
    page.get_by_label(translated(lang, "Description courte")).fill("Trois galettes, trois beurres.")
    page.get_by_label(translated(lang, "Gratuit")).check()
    screenshot(page, f"agenda-merchant-offer-form-{lang}")
    page.get_by_role("button", name=translated(lang, "Ajouter l'offre")).click()

    expect(page.get_by_role("status")).to_contain_text("Dégustation de galettes")
    offer = Event.objects.get(shop=argentan.bakery)
    card = page.locator(f"#offre-{offer.pk}")
    expect(card).to_contain_text(translated(lang, Publication.PENDING.label))
    expect(card).to_contain_text("Marché de Noël")
    assert (offer.parent_id, offer.publication) == (market.pk, Publication.PENDING)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"agenda-merchant-offer-pending-{lang}")

    town_team = signed_in(new_context(), live_server, manager, lang)
    town_team.goto("/argentan/gestion/agenda/a-valider/")
    assert_accessible(town_team)
    waiting = town_team.locator(f"#a-valider-{offer.pk}")
    expect(waiting).to_contain_text("Marché de Noël")
    waiting.get_by_role("button", name=translated(lang, "Valider")).click()
    expect(town_team.get_by_role("status")).to_contain_text("Dégustation de galettes")
    expect(town_team.locator(f"#a-valider-{offer.pk}")).to_have_count(0)
    assert_accessible(town_team)
    offer.refresh_from_db()
    assert offer.publication == Publication.PUBLISHED

    page.reload()
    expect(page.locator(f"#offre-{offer.pk}")).to_contain_text(translated(lang, Publication.PUBLISHED.label))

"""The mayor's Sundays in a browser: a merchant on a 360 px phone says the shop opens on a listed Sunday
with its hours, finds it in the town's agenda, changes the hours, a wrong hours text is told in the page's
language, then the shop no longer opens. French and English, axe-clean."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.agenda.models import Event, EventKind
from centreville.agenda.tests.factories import SundayOpeningFactory
from centreville.shops.tests.factories import ShopMembershipFactory

from .conftest import Argentan, NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_merchant_opens_on_a_mayors_sunday_changes_the_hours_then_stays_closed(
    new_context: NewContext, live_server: Any, argentan: Argentan, lang: str
) -> None:
    today = timezone.localdate()
    sunday_day = today + timedelta(days=7 + (6 - today.weekday()) % 7)  # a Sunday one to two weeks ahead
    sunday = SundayOpeningFactory.create(town=argentan.town, date=sunday_day, note="Fêtes de fin d'année")
    merchant = ShopMembershipFactory.create(shop=argentan.bakery).user
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, merchant, lang)

    page.goto("/argentan/espace-commercant/offres/dimanches/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Dimanches du maire"))
    card = page.locator(f"#dimanche-{sunday.pk}")
    expect(card).to_contain_text("Fêtes de fin d'année")
    assert_accessible(page)
    hours = card.get_by_label(translated(lang, "Horaires de %(name)s") % {"name": argentan.bakery.name})
    hours.fill("10:00-13:00")
    card.get_by_role("button", name=translated(lang, "J'ouvre ce dimanche")).click()

    status = page.get_by_role("status")
    expect(status).to_contain_text(argentan.bakery.name)
    opening = Event.objects.get(shop=argentan.bakery, kind=EventKind.SUNDAY_OPENING)
    assert opening.starts_at.astimezone(timezone.get_current_timezone()).hour == 10
    card = page.locator(f"#dimanche-{sunday.pk}")
    expect(card).to_contain_text("(10:00-13:00)")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"agenda-sundays-joined-{lang}")

    card.get_by_label(translated(lang, "Horaires de %(name)s") % {"name": argentan.bakery.name}).fill("midi")
    card.get_by_role("button", name=translated(lang, "Changer les horaires")).click()
    expect(page.locator(".messages, [role=alert], [role=status]").first).to_contain_text("10:00-18:00")
    assert Event.objects.filter(shop=argentan.bakery, kind=EventKind.SUNDAY_OPENING).count() == 1

    leave = translated(lang, "%(name)s n'ouvre pas ce dimanche") % {"name": argentan.bakery.name}
    page.locator(f"#dimanche-{sunday.pk}").get_by_role("button", name=leave).click()
    expect(page.get_by_role("status")).to_contain_text(argentan.bakery.name)
    expect(page.locator(f"#dimanche-{sunday.pk}")).to_contain_text(translated(lang, "J'ouvre ce dimanche"))
    assert not Event.objects.filter(shop=argentan.bakery, kind=EventKind.SUNDAY_OPENING).exists()
    assert_accessible(page)

"""The producers' exchange of the whole platform in a browser, French and English, axe-clean, on a 360 px
phone: a buyer comes from the platform's home, searches around a place the lots of every town's producers
(and of a producer no town chose), then opens a producer and orders one of its lots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from centreville.accounts.tests.factories import UserFactory
from centreville.enterprises.models import Enterprise
from centreville.enterprises.tests.factories import (
    BuyerFactory,
    EnterpriseFactory,
    EnterpriseMemberFactory,
    PickupPlaceFactory,
    SpaceProducerFactory,
)
from centreville.lots.around import distance_in_words
from centreville.lots.models import Lot
from centreville.lots.tests.factories import LotFactory
from centreville.towns.tests.factories import TownFactory

from .conftest import NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Region:
    farm: Enterprise  # Argentan's choice
    orchard: Enterprise  # Flers' choice
    goats: Enterprise  # chosen by no town, 12 km north of Argentan
    cheese: Lot


@pytest.fixture
def region() -> Region:
    argentan = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    flers = TownFactory.create(
        name="Flers",
        slug="flers",
        postcodes=["61100"],
        latitude=Decimal("48.7499"),
        longitude=Decimal("-0.5697"),
    )
    farm = EnterpriseFactory.create(name="Ferme du Bourg", slug="ferme-du-bourg")
    SpaceProducerFactory.create(town=argentan, enterprise=farm)
    orchard = EnterpriseFactory.create(
        name="Vergers du Bocage",
        slug="vergers-du-bocage",
        latitude=Decimal("48.7499"),
        longitude=Decimal("-0.5697"),
        service_radius_km=60,
    )
    SpaceProducerFactory.create(town=flers, enterprise=orchard)
    goats = EnterpriseFactory.create(
        name="Chèvrerie des Prés", slug="chevrerie", labels=["ab"], latitude=Decimal("48.852400")
    )
    for producer in (farm, orchard, goats):
        PickupPlaceFactory.create(enterprise=producer)
    LotFactory.create(enterprise=farm, title="Carottes")
    LotFactory.create(enterprise=orchard, title="Pommes")
    cheese = LotFactory.create(enterprise=goats, title="Fromage de chèvre frais", unit="piece")
    return Region(farm, orchard, goats, cheese)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_buyer_searches_every_producer_of_the_platform_and_opens_one(
    new_context: NewContext, live_server: Any, region: Region, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    restaurant = BuyerFactory.create(name="Le Bistrot", slug="le-bistrot")
    cook = UserFactory.create()
    EnterpriseMemberFactory.create(enterprise=restaurant, user=cook)
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, cook, lang)

    page.goto("/")
    page.get_by_role("link", name=translated(lang, "Chercher chez les producteurs")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(lang, "Disponible maintenant autour de moi")
    )
    expect(page.get_by_role("heading", name=translated(lang, "Où chercher ?"))).to_be_visible()
    expect(page.locator(".lot-card")).to_have_count(0)
    assert_fits(page)
    assert_accessible(page)

    page.locator("#id_lieu").fill("61200")
    page.locator("#id_rayon").select_option("50")
    page.get_by_role("button", name=translated(lang, "Chercher"), exact=True).click()

    cards = page.locator(".lot-card")
    expect(cards).to_have_count(3)
    for title in ("Carottes", "Pommes", "Fromage de chèvre frais"):
        expect(page.locator(".lot-list")).to_contain_text(title)
    with translation.override(lang):
        twelve_km = distance_in_words(12.0)
    cheese = page.locator(f"#lot-{region.cheese.pk}")
    expect(cheese.locator(".lot-distance")).to_contain_text(twelve_km)
    page.locator("#carte-titre").scroll_into_view_if_needed()
    expect(page.locator("#carte.map-ready")).to_be_visible()
    expect(page.locator("#carte .map-pin")).to_have_count(3)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"lots-platform-search-{lang}")

    cheese.get_by_role("link", name="Chèvrerie des Prés").click()
    expect(page).to_have_url(f"{live_server.url}/producteurs/chevrerie/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chèvrerie des Prés")
    expect(page.locator(".lot-card")).to_have_count(1)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"lots-platform-producer-{lang}")

    page.get_by_role("link", name=f"{translated(lang, 'Commander')} : Fromage de chèvre frais").click()
    expect(page).to_have_url(f"{live_server.url}/pro/commander/{region.cheese.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fromage de chèvre frais")

"""Producers' lots in a browser, French and English, axe-clean: a producer updates quantities on a 360 px
phone with one tap each, and a buyer searches around a place and sees lots with their distances."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from centreville.accounts.tests.factories import UserFactory
from centreville.catalogue.tests.factories import ProductCategoryFactory
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
from centreville.wholesale.models import WholesaleOrder

from .conftest import NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class Exchange:
    farm: Enterprise
    goats: Enterprise
    carrots: Lot
    cheese: Lot


@pytest.fixture
def exchange() -> Exchange:
    """Argentan's space shows a vegetable farm in town and a goat farm 12 km north."""
    town = TownFactory.create(name="Argentan", slug="argentan", postcodes=["61200"])
    farm = EnterpriseFactory.create(name="Ferme du Bourg", slug="ferme-du-bourg")
    goats = EnterpriseFactory.create(
        name="Chèvrerie des Prés", slug="chevrerie", labels=["ab"], latitude=Decimal("48.852400")
    )
    for producer in (farm, goats):
        SpaceProducerFactory.create(town=town, enterprise=producer)
        PickupPlaceFactory.create(enterprise=producer)
    cheese_category = ProductCategoryFactory.create(name="Fromages et crèmerie", slug="fromages-cremerie")
    return Exchange(
        farm=farm,
        goats=goats,
        carrots=LotFactory.create(
            enterprise=farm, title="Carottes", quantity_available=Decimal("10"), quantity_step=Decimal("2")
        ),
        cheese=LotFactory.create(
            enterprise=goats, title="Fromage de chèvre frais", category=cheese_category, unit="piece"
        ),
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_producer_updates_quantities_on_the_phone(
    new_context: NewContext, live_server: Any, exchange: Exchange, lang: str
) -> None:
    grower = UserFactory.create()
    EnterpriseMemberFactory.create(enterprise=exchange.farm, user=grower)
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, grower, lang)

    page.goto("/pro/ferme-du-bourg/lots/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes lots"))
    lot = page.locator(f"#lot-{exchange.carrots.pk}")
    expect(lot.locator(".lot-quantity strong")).to_have_text("10")
    assert_fits(page)
    assert_accessible(page)

    lot.locator("button[value=plus]").click()
    expect(page.locator(f"#lot-{exchange.carrots.pk} .lot-quantity strong")).to_have_text("12")
    page.locator(f"#lot-{exchange.carrots.pk} button[value=moins]").click()
    expect(page.locator(f"#lot-{exchange.carrots.pk} .lot-quantity strong")).to_have_text("10")
    page.locator(f"#lot-{exchange.carrots.pk} button[value=moins]").click()
    expect(page.locator(f"#lot-{exchange.carrots.pk} .lot-quantity strong")).to_have_text("8")
    page.locator(f"#lot-{exchange.carrots.pk} button[value=epuise]").click()
    expect(page.locator(f"#lot-{exchange.carrots.pk} .lot-quantity strong")).to_have_text(
        translated(lang, "Épuisé")
    )
    page.locator(f"#lot-{exchange.carrots.pk} button[value=moins]").click()
    expect(page.locator(f"#lot-{exchange.carrots.pk} [role=alert]")).to_contain_text(
        translated(lang, "Il n'en reste que %(left)s : la quantité disponible ne peut pas passer sous zéro.")
        % {"left": "0"}
    )
    # The focus stays on the button tapped: htmx swapped the lot's status, not its buttons.
    expect(page.locator(f"#lot-{exchange.carrots.pk}-moins")).to_be_focused()
    screenshot(page, f"lots-producer-{lang}")
    exchange.carrots.refresh_from_db()
    assert exchange.carrots.quantity_available == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_buyer_searches_around_a_place_and_sees_distances(
    new_context: NewContext, live_server: Any, exchange: Exchange, lang: str
) -> None:
    buyer = UserFactory.create()
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, buyer, lang)

    page.goto("/argentan/producteurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(lang, "Disponible maintenant autour de moi")
    )
    expect(page.locator(".lot-card")).to_have_count(2)
    assert_accessible(page)
    page.locator("#id_q").fill("fromages chevre")
    page.locator("#id_lieu").fill("61200")
    page.locator("#id_rayon").select_option("20")
    page.get_by_role("button", name=translated(lang, "Chercher"), exact=True).click()

    cards = page.locator(".lot-card")
    expect(cards).to_have_count(1)
    with translation.override(lang):
        twelve_km = distance_in_words(12.0)
    expect(cards.first).to_contain_text("Fromage de chèvre frais")
    expect(cards.first.locator(".lot-distance")).to_contain_text(twelve_km)
    expect(cards.first).to_contain_text(translated(lang, "Circuit court"))
    # The producers' map (the shops' component) starts once scrolled to, its pin named by the producer.
    page.locator("#carte-titre").scroll_into_view_if_needed()
    expect(page.locator("#carte.map-ready")).to_be_visible()
    expect(page.locator("#carte .map-pin")).to_have_count(1)
    expect(page.locator("#carte .map-pin")).to_contain_text("Chèvrerie des Prés")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"lots-search-{lang}")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_buyer_finds_two_producers_lots_around_a_place_orders_both_and_checks_out(
    new_context: NewContext, live_server: Any, exchange: Exchange, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tuesday 8 December 2026, 10:00 in Paris: the farms' next windows are this Tuesday evening and Friday.
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    restaurant = BuyerFactory.create(name="Le Bistrot", slug="le-bistrot")
    cook = UserFactory.create()
    EnterpriseMemberFactory.create(enterprise=restaurant, user=cook)
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, cook, lang)

    for title, quantity in (("Carottes", "6"), ("Fromage de chèvre frais", "5")):
        page.goto("/argentan/producteurs/?lieu=61200&rayon=20")
        expect(page.locator(".lot-card")).to_have_count(2)
        page.get_by_role("link", name=f"{translated(lang, 'Commander')} : {title}").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        assert_fits(page)
        assert_accessible(page)
        page.get_by_label(translated(lang, "Quantité")).fill(quantity)
        page.get_by_role("button", name=translated(lang, "Ajouter au panier")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Panier professionnel"))

    for producer in (exchange.farm, exchange.goats):
        choice = page.locator(f"#remise-{producer.pk}")
        choice.select_option(choice.locator("option[value^='farm|']").first.get_attribute("value"))
    assert_fits(page)
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Commander"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes achats"))
    orders = WholesaleOrder.objects.filter(buyer=restaurant)
    assert sorted(orders.values_list("producer__slug", flat=True)) == ["chevrerie", "ferme-du-bourg"]
    assert len(set(orders.values_list("group_reference", flat=True))) == 1
    exchange.carrots.refresh_from_db()
    assert exchange.carrots.quantity_available == Decimal("4")
    for order in orders:
        expect(page.locator("main")).to_contain_text(order.reference)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"lots-ordered-{lang}")

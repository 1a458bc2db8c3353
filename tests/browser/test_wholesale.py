"""Wholesale orders in a browser: a restaurant on a 360 px phone with lots of two producers in its basket
checks out, collecting one order at the farm and the other at a drive point, then the farm accepts its
order. French and English, axe-clean."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from centreville.wholesale.models import HandOver, OrderStatus, WholesaleOrder
from centreville.wholesale.services import basket_add
from centreville.wholesale.tests.scenario import scenario

from .conftest import NewContext
from .helpers import assert_accessible, assert_fits, screenshot, signed_in, translated

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_buyer_checks_out_two_producers_and_one_accepts(
    new_context: NewContext, live_server: Any, lang: str
) -> None:
    given = scenario()
    given.place.opening_hours = "Mo-Su 17:00-19:00"
    given.place.save()
    given.drive.opening_hours = "Mo-Su 16:00-19:00"
    given.drive.save()
    basket_add(buyer=given.buyer, lot_id=given.carrots.pk, quantity=Decimal("10"), at=timezone.now())
    basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("12"), at=timezone.now())
    page = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, given.buyer_user, lang)

    page.goto(f"/pro/{given.buyer.slug}/panier/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Panier professionnel"))
    expect(page.get_by_role("heading", level=2, name="Ferme des Sources")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Laiterie du Pays")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    farm_select = page.locator(f"#remise-{given.farm.pk}")
    farm_value = farm_select.locator("option[value^='farm|']").first.get_attribute("value")
    farm_select.select_option(farm_value)
    dairy_select = page.locator(f"#remise-{given.dairy.pk}")
    dairy_select.select_option(dairy_select.locator("option[value^='drive|']").first.get_attribute("value"))
    page.get_by_role("button", name=translated(lang, "Commander")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes achats"))
    orders = {order.producer_id: order for order in WholesaleOrder.objects.all()}
    assert orders[given.farm.pk].hand_over == HandOver.FARM
    assert orders[given.dairy.pk].hand_over == HandOver.DRIVE
    assert orders[given.farm.pk].group_reference == orders[given.dairy.pk].group_reference
    expect(page.locator("main")).to_contain_text(orders[given.dairy.pk].reference)
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, f"wholesale-orders-{lang}")

    producer = signed_in(new_context(viewport=PHONE, is_mobile=True), live_server, given.farm_user, lang)
    producer.goto(f"/pro/{given.farm.slug}/commandes/")
    card = producer.locator(f"#commande-{orders[given.farm.pk].reference}")
    expect(card).to_contain_text("Carottes")
    expect(producer.locator("main")).not_to_contain_text("Camembert")
    assert_accessible(producer)
    card.get_by_role("button", name=translated(lang, "Accepter")).click()

    expect(producer.get_by_role("status")).to_contain_text(orders[given.farm.pk].reference)
    orders[given.farm.pk].refresh_from_db()
    assert orders[given.farm.pk].status == OrderStatus.ACCEPTED
    assert_fits(producer)
    assert_accessible(producer)

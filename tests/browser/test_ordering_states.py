"""Whether a shop takes orders, as a phone user sees it: a shop nobody runs gives its contacts instead of a
basket button; a shop on holiday says when orders resume, or takes them for pickup after it reopens."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from centreville.orders.models import Order
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopClosureFactory

from .conftest import Stall
from .helpers import assert_accessible, screenshot, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def product_url(stall: Stall) -> str:
    return f"/argentan/commerces/{stall.shop.slug}/produits/{stall.product.slug}/"


def test_a_shop_nobody_runs_gives_its_phone_instead_of_a_basket_button(
    new_context: Any, live_server: Any, stalls: list[Stall], lang: str
) -> None:
    stall = stalls[0]
    stall.shop.memberships.all().delete()  # imported, never claimed
    Shop.objects.filter(pk=stall.shop.pk).update(phone="+33233361234")
    context: BrowserContext = new_context(viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()

    page.goto(product_url(stall))

    notice = translated(
        lang, "Ce commerce ne prend pas de commande en ligne : passez le voir ou contactez-le."
    )
    expect(page.get_by_text(notice)).to_be_visible()
    expect(page.get_by_role("button", name=translated(lang, "Ajouter au panier"))).to_have_count(0)
    call = page.get_by_role("link", name=re.compile("02 33 36 12 34"))
    expect(call).to_have_attribute("href", "tel:+33233361234")
    screenshot(page, f"product-not-run-{lang}")
    assert_accessible(page)

    page.goto(f"/argentan/commerces/{stall.shop.slug}/")
    expect(page.get_by_text(notice)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(translated(lang, "Ajouter au panier")))).to_have_count(
        0
    )
    assert_accessible(page)


def test_a_shop_on_holiday_takes_orders_for_after_it_reopens(
    new_context: Any, live_server: Any, stalls: list[Stall], lang: str
) -> None:
    stall = stalls[0]
    today = timezone.localdate()
    ShopClosureFactory.create(
        shop=stall.shop,
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=2),
        label="Congés annuels",
        takes_orders=True,
    )
    reopening = today + timedelta(days=3)
    context: BrowserContext = new_context(viewport=PHONE)
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()

    page.goto(product_url(stall))
    expect(page.get_by_text(re.compile("Congés annuels"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Ajouter au panier")).click()
    page.goto("/argentan/panier/")
    page.get_by_role("link", name=translated(lang, "Commander")).click()

    legend = translated(lang, "Comment récupérer votre commande chez %(shop)s ?") % {"shop": stall.shop.name}
    expect(page.get_by_role("group", name=legend)).to_be_visible()
    slot = page.get_by_label(translated(lang, "Créneau de retrait"))
    expect(slot).to_have_attribute("required", "")
    first_slot = slot.locator("option").nth(1)
    # The first slot is on the day the shop reopens, and says so once chosen.
    with_day = re.compile(r"\S+ " + str(reopening.day) + r" \S+, \d\d:\d\d – \d\d:\d\d")
    expect(first_slot).to_have_text(with_day)
    slot.select_option(index=1)
    page.get_by_label(translated(lang, "Votre nom")).fill("Camille Martin")
    page.get_by_label(translated(lang, "Téléphone mobile")).fill("06 12 34 56 78")
    screenshot(page, f"checkout-during-holidays-{lang}")
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Vérifier ma commande")).click()
    page.get_by_role("button", name=translated(lang, "Confirmer la commande")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi de votre commande"))
    order = Order.objects.get()
    assert order.pickup_slot_start is not None
    assert timezone.localdate(order.pickup_slot_start) == reopening
    assert order.accept_from is not None  # nobody has to accept it before the shop reopens

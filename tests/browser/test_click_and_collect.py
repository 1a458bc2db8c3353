"""Click & Collect end to end: a guest fills one basket in three shops, picks a different way for each,
checks out without an account and follows each order to the end while each merchant handles theirs."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from centreville.catalogue.models import Product
from centreville.orders.models import Order, OrderStatus

from .conftest import NewContext, Stall
from .helpers import assert_accessible, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUEST_EMAIL = "camille@example.fr"
PHONE = {"width": 360, "height": 740}


def choose_way(page: Page, stall: Stall) -> None:
    section = page.get_by_role("region", name=stall.shop.name)
    labels = {
        "pickup": "Retrait en boutique",
        "locker": "Retrait en consigne",
        "delivery": "Livraison à domicile",
    }
    section.get_by_label(labels[stall.way], exact=True).check()
    if stall.way == "pickup":
        section.get_by_label("Créneau de retrait").select_option(index=1)
    elif stall.way == "locker":
        section.get_by_label("Choisir la consigne").select_option(index=1)
    else:
        section.get_by_label("Adresse de livraison").fill("12 rue de la République")
        section.get_by_label("Code postal").fill("61200")
        expect(section.get_by_label("Commune")).to_have_value("Argentan")
        section.get_by_label("Plage de livraison").select_option(index=1)


def merchant_moves(page: Page, *steps: str) -> None:
    """The merchant opens today's orders on their phone and taps one button per step."""
    page.goto("/argentan/espace-commercant/commandes/")
    for step in steps:
        page.get_by_role("button", name=re.compile(f"^{step}")).click()
        expect(page.get_by_role("status")).to_contain_text("Commande")
        page.wait_for_load_state("networkidle")


def test_a_guest_orders_from_three_shops_and_follows_each_order_to_the_end(
    new_context: NewContext, live_server: Any, stalls: list[Stall]
) -> None:
    # Each merchant signed in on their phone before the guest arrives (sessions are written here, in
    # the test's thread, while the server's thread is idle).
    phones = {
        stall.shop.pk: signed_in(new_context(viewport=PHONE), live_server, stall.merchant) for stall in stalls
    }
    guest = new_context().new_page()

    # Given a basket filled from three shops' product pages
    for stall in stalls:
        guest.goto(f"/argentan/commerces/{stall.shop.slug}/produits/{stall.product.slug}/")
        guest.get_by_role("button", name="Ajouter au panier").click()
        expect(guest.get_by_role("status")).to_contain_text(
            f"« {stall.product.title} » est dans votre panier"
        )
    guest.get_by_role("banner").get_by_role("link", name="Panier 3 articles").click()
    expect(guest.get_by_role("heading", name="Mon panier")).to_be_visible()
    for stall in stalls:
        expect(guest.get_by_role("region", name=stall.shop.name)).to_contain_text(stall.product.title)
    assert_accessible(guest)

    # When the guest checks out with a different way for each shop
    guest.get_by_role("link", name="Commander").click()
    guest.get_by_label("Votre nom").fill("Camille Martin")
    guest.get_by_label(re.compile("^E-mail")).fill(GUEST_EMAIL)
    for stall in stalls:
        choose_way(guest, stall)
    guest.get_by_label("En ligne maintenant, par carte bancaire").check()  # the locker and the delivery
    assert_accessible(guest)
    guest.get_by_role("button", name="Vérifier ma commande").click()

    # And reviews the three orders before confirming them, then pays online
    expect(guest.get_by_role("heading", level=1)).to_have_text("Vérifiez votre commande")
    for stall in stalls:
        expect(guest.get_by_role("region", name=stall.shop.name)).to_contain_text(stall.product.title)
    expect(guest.get_by_role("region", name=stalls[2].shop.name)).to_contain_text(
        "12 rue de la République, 61200 Argentan"
    )
    assert not Order.objects.exists()
    assert_accessible(guest)
    guest.get_by_role("button", name="Confirmer la commande").click()
    expect(guest.get_by_role("heading", level=1)).to_have_text("Paiement d'essai")
    guest.get_by_role("button", name="Payer", exact=True).click()

    # Then one order per shop under one basket, followed on one private page
    expect(guest.get_by_role("heading", name="Suivi de votre commande")).to_be_visible()
    orders = {order.shop_id: order for order in Order.objects.all()}
    assert len(orders) == 3
    assert len({order.basket_reference for order in orders.values()}) == 1
    assert [orders[stall.shop.pk].fulfilment for stall in stalls] == ["pickup", "locker", "delivery"]
    delivered = orders[stalls[2].shop.pk]
    assert (delivered.delivery_fee, delivered.delivery_subsidy) == (Decimal("5.00"), Decimal("5.00"))
    assert Product.objects.get(pk=stalls[0].product.pk).stock == 3
    assert_accessible(guest)
    tracking_url = guest.url

    # And each merchant handles their own order, one tap per step
    first = phones[stalls[0].shop.pk]
    first.goto("/argentan/espace-commercant/commandes/")
    expect(first.get_by_role("article")).to_have_count(1)  # only this shop's order
    assert_accessible(first)
    for stall in stalls:
        merchant_moves(phones[stall.shop.pk], "Accepter", "Prête")

    guest.goto(tracking_url)
    locker_order = Order.objects.get(shop=stalls[1].shop)
    assert re.fullmatch(r"\d{6}", locker_order.locker_code)
    expect(guest.get_by_role("region", name=re.compile(stalls[1].shop.name))).to_contain_text(
        locker_order.locker_code
    )

    for stall in stalls:
        merchant_moves(phones[stall.shop.pk], "Retirée")

    guest.goto(tracking_url)
    expect(guest.get_by_text("Retirée. Merci et à bientôt !")).to_have_count(2)
    expect(guest.get_by_text("Livrée. Merci et à bientôt !")).to_have_count(1)
    assert set(Order.objects.values_list("status", flat=True)) == {OrderStatus.COLLECTED}
    assert_accessible(guest)
    # The guest heard of every step by e-mail: one confirmation for the basket, then accepted, ready and
    # collected for each order
    to_guest = [message for message in mail.outbox if message.to == [GUEST_EMAIL]]
    assert len(to_guest) == 1 + 3 * 3

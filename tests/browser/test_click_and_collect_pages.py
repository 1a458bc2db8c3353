"""Every Click & Collect page a person uses, in French and English, axe-clean: the customer's basket,
checkout, tracking and online payment, the merchant's orders and settings, the town team's settings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from centreville.accounts.models import Role, User
from centreville.accounts.tests.factories import TownRoleFactory
from centreville.catalogue.stock import Wanted
from centreville.fulfilment.tests.factories import RelayPointFactory
from centreville.orders.models import Order, OrderStatus, PaymentState
from centreville.orders.tests.factories import order_place

from .conftest import Argentan, Stall
from .helpers import assert_accessible, signed_in, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_basket(page: Page, stall: Stall, lang: str) -> None:
    page.goto(f"/argentan/commerces/{stall.shop.slug}/produits/{stall.product.slug}/")
    page.get_by_role("button", name=translated(lang, "Ajouter au panier")).click()
    # Back on the product page, with a message and the count in the header's basket link.
    expect(page.get_by_role("status")).to_contain_text(stall.product.title)
    page.get_by_role("banner").get_by_role("link", name=re.compile("^" + translated(lang, "Panier"))).click()


def test_a_guest_pays_online_on_the_test_provider_page(
    context: BrowserContext, live_server: Any, stalls: list[Stall], lang: str, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # the payment page sends the customer back to this address
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    fill_basket(page, stalls[0], lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mon panier"))
    assert_accessible(page)

    page.get_by_role("link", name=translated(lang, "Commander")).click()
    page.get_by_label(translated(lang, "Votre nom")).fill("Camille Martin")
    page.get_by_label(translated(lang, "Téléphone mobile")).fill("06 12 34 56 78")
    page.get_by_label(translated(lang, "Créneau de retrait")).select_option(index=1)
    page.get_by_label(translated(lang, "En ligne maintenant, par carte bancaire")).check()
    page.get_by_role("button", name=translated(lang, "Vérifier ma commande")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Vérifiez votre commande"))
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Confirmer la commande")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Paiement d'essai"))
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Payer"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi de votre commande"))
    thanks = (
        "Merci ! Votre paiement est transmis et vos commandes sont envoyées aux commerçants. Gardez cette "
        "page : elle montre l'avancement de chaque commande et l'état de son paiement."
    )
    expect(page.get_by_role("status")).to_have_text(translated(lang, thanks))
    order = Order.objects.get()
    assert order.payment_state == PaymentState.PAID
    assert order.customer_contact == "+33612345678"
    assert_accessible(page)


def test_a_refused_checkout_keeps_what_was_typed(
    context: BrowserContext, stalls: list[Stall], lang: str, live_server: Any
) -> None:
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    fill_basket(page, stalls[2], lang)
    page.get_by_role("link", name=translated(lang, "Commander")).click()
    page.get_by_label(translated(lang, "Votre nom")).fill("Camille Martin")
    page.get_by_label(translated(lang, "Téléphone mobile")).fill("pas un contact")
    page.get_by_label(translated(lang, "Livraison à domicile"), exact=True).check()
    page.get_by_label(translated(lang, "Adresse de livraison")).fill("12 rue de la République")
    page.get_by_label(translated(lang, "Code postal")).fill("75001")  # outside every zone
    page.get_by_label(translated(lang, "Plage de livraison")).select_option(index=1)
    page.get_by_role("button", name=translated(lang, "Vérifier ma commande")).click()

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label(translated(lang, "Votre nom"))).to_have_value("Camille Martin")
    address = page.get_by_label(translated(lang, "Adresse de livraison"))
    expect(address).to_have_value("12 rue de la République")
    assert not Order.objects.exists()
    assert_accessible(page)


def test_a_signed_in_customer_finds_their_orders(
    context: BrowserContext, live_server: Any, stalls: list[Stall], marie: User, lang: str
) -> None:
    order_place(
        shop=stalls[0].shop,
        wanted=[Wanted(stalls[0].product.pk, 1)],
        customer=marie,
        customer_name="Marie",
        customer_contact="marie@example.fr",
    )
    page = signed_in(context, live_server, marie, lang)
    page.goto("/argentan/commande/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Mes commandes"))
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi de votre commande"))
    assert_accessible(page)


def test_the_merchant_reaches_every_order_page_on_a_phone(
    new_context: Any, live_server: Any, stalls: list[Stall], lang: str
) -> None:
    stall = stalls[0]
    order = order_place(
        shop=stall.shop,
        wanted=[Wanted(stall.product.pk, 2)],
        customer=None,
        customer_name="Camille",
        customer_contact="camille@example.fr",
    )
    page = signed_in(new_context(viewport={"width": 360, "height": 740}), live_server, stall.merchant, lang)

    page.goto("/argentan/espace-commercant/commandes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Commandes du jour"))
    assert_accessible(page)
    page.locator("summary", has_text=translated(lang, "Refuser")).click()
    page.get_by_role("button", name=translated(lang, "Confirmer le refus")).click()
    expect(page.get_by_role("alert").first).to_be_visible()  # a refusal needs a reason
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert_accessible(page)

    for path, heading in [
        ("/argentan/espace-commercant/commandes/preparation/", "À préparer aujourd'hui"),
        ("/argentan/espace-commercant/commandes/export/", "Exporter les commandes"),
        (f"/argentan/espace-commercant/commerces/{stall.shop.slug}/retrait/", "Retrait et livraison"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, heading))
        assert_accessible(page)


def test_the_town_team_sets_the_ways_places_and_zones(
    context: BrowserContext, live_server: Any, argentan: Argentan, lang: str
) -> None:
    manager = TownRoleFactory.create(town=argentan.town, role=Role.MANAGER).user
    RelayPointFactory.create(town=argentan.town, name="Maison de la presse")
    page = signed_in(context, live_server, manager, lang)

    page.goto("/argentan/gestion/retrait-livraison/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Retrait et livraison"))
    assert_accessible(page)
    for path in ("points-relais/", "consignes/", "zones/", "points-relais/nouveau/", "zones/nouvelle/"):
        page.goto(f"/argentan/gestion/retrait-livraison/{path}")
        assert_accessible(page)

    page.goto("/argentan/gestion/retrait-livraison/consignes/nouvelle/")
    page.locator("#id_name").fill("Consigne de la gare")
    page.locator("#id_street_address").fill("place de la Gare")
    page.locator("details.advanced-hours summary").click()  # the hours typed as an expression, not day by day
    page.locator("#id_opening_hours").fill("tous les jours")  # not OpenStreetMap hours
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Consigne de la gare")
    assert_accessible(page)


def test_the_api_documentation_renders_from_the_site_itself(page: Page) -> None:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    assert errors == []

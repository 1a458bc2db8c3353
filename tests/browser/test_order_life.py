"""An order's life as people live it, in French and English, axe-clean: a guest cancels from the tracking
page, the link in the worker's message opens that page, the merchant handles orders with the keyboard
(the focus follows each update) and connects a payment account from the back-office."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import BrowserContext, Locator, Page, expect

from centreville.catalogue.stock import Wanted
from centreville.orders.models import Order, OrderStatus
from centreville.orders.services import order_transition
from centreville.orders.tests.factories import order_place
from centreville.payments.models import ShopPaymentAccount

from .conftest import NewContext, Stall
from .helpers import assert_accessible, link_in, screenshot, signed_in, translated

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
MAX_TABS = 12


def placed(stall: Stall, contact: str = "camille@example.fr") -> Order:
    return order_place(
        shop=stall.shop,
        wanted=[Wanted(stall.product.pk, 1)],
        customer=None,
        customer_name="Camille Martin",
        customer_contact=contact,
    )


def focused(page: Page) -> Locator:
    return page.locator(":focus")


def in_lang(lang: str, message: str, **values: str) -> str:
    return translated(lang, message) % values


def test_a_guest_cancels_from_the_tracking_page_and_lands_on_the_message(
    context: BrowserContext, live_server: Any, stalls: list[Stall], lang: str
) -> None:
    order = placed(stalls[0])
    context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"/argentan/commande/{order.tracking_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Suivi de votre commande"))
    assert_accessible(page)

    page.get_by_role(
        "button", name=re.compile("^" + re.escape(translated(lang, "Annuler cette commande")))
    ).click()

    said = in_lang(
        lang,
        "La commande %(reference)s chez %(shop)s est annulée.",
        reference=order.reference,
        shop=stalls[0].shop.name,
    )
    expect(page.get_by_role("status")).to_have_text(said)
    expect(focused(page)).to_have_text(said)  # the focus is on the message, not lost at the page's top
    expect(page.get_by_text("Forbidden")).to_have_count(0)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    assert_accessible(page)
    screenshot(page, f"tracking-cancelled-{lang}")


def test_the_link_in_the_workers_message_opens_the_tracking_page(
    new_context: NewContext, live_server: Any, stalls: list[Stall], settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # what production sets: the address people reach
    guest = new_context().new_page()
    stall = stalls[0]
    guest.goto(f"/argentan/commerces/{stall.shop.slug}/produits/{stall.product.slug}/")
    guest.get_by_role("button", name="Ajouter au panier").click()
    guest.goto("/argentan/panier/")
    guest.get_by_role("link", name="Commander").click()
    guest.get_by_label("Votre nom").fill("Camille Martin")
    guest.get_by_label(re.compile("^E-mail")).fill("camille@example.fr")
    guest.get_by_label("Créneau de retrait").select_option(index=1)
    guest.get_by_role("button", name="Vérifier ma commande").click()
    guest.get_by_role("button", name="Confirmer la commande").click()
    expect(guest.get_by_role("heading", name="Suivi de votre commande")).to_be_visible()

    # The worker wrote the message outside any request (tasks run at once in the tests).
    [message] = [m for m in mail.outbox if m.to == ["camille@example.fr"]]
    link = link_in(message, live_server.url)

    phone = new_context(viewport=PHONE).new_page()  # another browser: a phone reading its mail
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Suivi de votre commande")
    expect(phone.get_by_role("heading", level=2, name=re.compile(stall.shop.name))).to_be_visible()
    assert_accessible(phone)


def tab_to(page: Page, button: Locator, *, within: Locator) -> None:
    """Press Tab until `button` has the focus, every stop on the way inside `within`."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            return
        assert within.evaluate("(card) => card.contains(document.activeElement)"), "the focus left the card"
    pytest.fail("the button was never reached with Tab")


def test_the_merchant_walks_the_orders_with_the_keyboard_and_the_focus_follows(
    new_context: NewContext, live_server: Any, stalls: list[Stall], lang: str
) -> None:
    stall = stalls[0]
    first, second = placed(stall), placed(stall, contact="06 12 34 56 78")
    page = signed_in(new_context(viewport=PHONE), live_server, stall.merchant, lang)

    # The merchant home says an order waits, and counts it on the orders link.
    page.goto("/argentan/espace-commercant/")
    with translation.override(lang):
        waiting_words = translation.ngettext(
            "Une commande attend votre réponse : l'accepter ou la refuser",
            "%(counter)s commandes attendent votre réponse : les accepter ou les refuser",
            2,
        ) % {"counter": 2}
    waiting = page.get_by_role("link", name=waiting_words)
    expect(waiting).to_be_visible()
    expect(
        page.get_by_text(translated(lang, "Tout est en ordre. Pensez à tenir vos prix et vos stocks à jour."))
    ).to_have_count(0)
    assert_accessible(page)
    screenshot(page, f"merchant-home-waiting-{lang}")
    waiting.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Commandes du jour"))
    expect(page.get_by_text("06 12 34 56 78")).to_be_visible()
    assert_accessible(page)

    # Accepter: the card moves to "accepted" and the focus goes to its message.
    card = page.locator(f"#commande-{first.reference}")
    card.get_by_role("button", name=re.compile("^" + translated(lang, "Accepter"))).focus()
    page.keyboard.press("Enter")
    accepted_said = in_lang(
        lang, "Commande %(reference)s acceptée : le client est prévenu.", reference=first.reference
    )
    expect(focused(page)).to_have_text(accepted_said)
    accepted_section = page.get_by_role(
        "region", name=re.compile("^" + re.escape(translated(lang, "Acceptées : à préparer")))
    )
    expect(accepted_section.locator(f"#commande-{first.reference}")).to_be_visible()
    new_section = page.get_by_role(
        "region", name=re.compile("^" + re.escape(translated(lang, "Nouvelles : à accepter")))
    )
    expect(new_section.locator(f"#commande-{first.reference}")).to_have_count(0)
    assert_accessible(page)

    # The next Tabs stay in the card and reach its new "Prête" button.
    card = page.locator(f"#commande-{first.reference}")
    ready = card.get_by_role("button", name=re.compile("^" + translated(lang, "Prête")))
    tab_to(page, ready, within=card)
    page.keyboard.press("Enter")
    ready_said = in_lang(
        lang,
        "Commande %(reference)s prête : le client est prévenu qu'il peut venir.",
        reference=first.reference,
    )
    expect(focused(page)).to_have_text(ready_said)
    assert Order.objects.get(pk=first.pk).status == OrderStatus.READY

    # A refusal without its reason: the focus goes to the reason, marked required and invalid.
    other = page.locator(f"#commande-{second.reference}")
    other.locator("summary").filter(has_text=translated(lang, "Refuser")).focus()
    page.keyboard.press("Enter")
    reason = other.get_by_role("textbox")
    expect(reason).to_have_attribute("required", "")
    expect(reason).to_have_attribute("aria-required", "true")
    expect(other.get_by_text(translated(lang, "obligatoire"), exact=True).first).to_be_visible()
    other.get_by_role("button", name=translated(lang, "Confirmer le refus")).focus()
    page.keyboard.press("Enter")
    expect(focused(page)).to_have_attribute("name", "reason")
    expect(focused(page)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert")).to_have_text(translated(lang, "Indiquez le motif : le client le lira."))
    assert Order.objects.get(pk=second.pk).status == OrderStatus.PLACED
    assert_accessible(page)
    screenshot(page, f"merchant-orders-refusal-{lang}")


def test_a_relay_order_is_dropped_in_one_tap_and_its_customer_told_to_go(
    new_context: NewContext, live_server: Any, stalls: list[Stall]
) -> None:
    from centreville.fulfilment.tests.factories import RelayPointFactory

    stall = stalls[0]
    relay = RelayPointFactory.create(town=stall.shop.town, name="Maison de la presse")
    order = placed(stall)
    Order.objects.filter(pk=order.pk).update(fulfilment="relay", relay_point=relay)
    for step in (OrderStatus.ACCEPTED, OrderStatus.READY):
        order_transition(order=order, to_status=step, actor=stall.merchant)
    page = signed_in(new_context(viewport=PHONE), live_server, stall.merchant)

    page.goto("/argentan/espace-commercant/commandes/")
    page.locator(f"#commande-{order.reference}").get_by_role(
        "button", name=re.compile("^Déposée au point relais")
    ).click()

    expect(focused(page)).to_contain_text("déposée au point relais")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DROPPED
    guest = new_context().new_page()
    guest.goto(f"/argentan/commande/{order.tracking_token}/")
    expect(guest.get_by_text("Déposée au point relais : vous pouvez aller la chercher.")).to_be_visible()


def test_the_merchant_connects_a_payment_account(
    new_context: NewContext, live_server: Any, stalls: list[Stall], lang: str, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # the provider sends the merchant back to this address
    stall = stalls[0]
    page = signed_in(new_context(viewport=PHONE), live_server, stall.merchant, lang)

    page.goto(f"/argentan/espace-commercant/commerces/{stall.shop.slug}/paiement/")
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Paiement en ligne"))
    expect(page.get_by_text(translated(lang, "Pas encore connecté"))).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"merchant-payment-{lang}")

    page.get_by_role("button", name=translated(lang, "Connecter mon compte de paiement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(lang, "Compte de paiement d'essai"))
    assert_accessible(page)
    page.get_by_role("button", name=translated(lang, "Envoyer mes informations")).click()

    expect(page.get_by_role("status")).to_have_text(
        translated(lang, "Votre compte est prêt : vos clients peuvent payer en ligne.")
    )
    expect(page.get_by_text(translated(lang, "Prêt à recevoir des paiements en ligne"))).to_be_visible()
    assert ShopPaymentAccount.objects.get(shop=stall.shop).charges_enabled
    assert_accessible(page)

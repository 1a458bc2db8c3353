"""What the messages say: the order, the shop, the step in words, and how to get the order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, translation

from centreville.fulfilment.models import (
    DeliveryZone,
    FulfilmentMethod,
    Locker,
    RelayPoint,
    TownOrderSettings,
)
from centreville.notifications.messages import Message, order_event_messages
from centreville.orders.models import Order, OrderEvent, OrderStatus
from centreville.orders.services import order_transition
from centreville.shops.models import Shop
from centreville.shops.tests.factories import ShopMembershipFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def merchant(shop: Shop) -> Any:
    return ShopMembershipFactory.create(shop=shop).user


def messages_of(order: Order, status: str) -> dict[tuple[str, str], Message]:
    """The messages of the order's last step to `status`, by (audience, channel); of the merchant's
    e-mails, the one to the shop's address."""
    event = OrderEvent.objects.filter(order=order, to_status=status).latest("pk")
    return {
        (m.audience, m.channel): m
        for m in order_event_messages(event)
        if m.audience == "customer" or m.recipient in ("boulangerie@example.fr", "+33611223344")
    }


def step(order: Order, status: str, actor: Any, reason: str = "") -> dict[tuple[str, str], Message]:
    order_transition(order=order, to_status=status, actor=actor, reason=reason)
    return messages_of(order, status)


def test_the_confirmation_tells_the_customer_everything_in_french(place: Callable[..., Order]) -> None:
    order = place()

    message = messages_of(order, OrderStatus.PLACED)[("customer", "email")]

    assert message.subject == f"Commande {order.reference} enregistrée chez Boulangerie Martin"
    assert message.body.startswith("Bonjour Jeanne Dupont,\n\n")
    for expected in (
        "Votre commande chez Boulangerie Martin est bien enregistrée.",
        f"Commande : {order.reference}",
        "Commerce : Boulangerie Martin, 12 rue de la République, 61200",
        "Statut : Passée",
        "Retrait en boutique",
        "- 2 × Pain de campagne à 4,20\xa0€",
        "Total : 8,40\xa0€ (Paiement au retrait)",
    ):
        assert expected in message.body
    assert "\n\n\n" not in message.body


def test_messages_carry_the_private_tracking_link_on_the_public_address(
    place: Callable[..., Order], settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://centreville.example/"
    order = place(contact="06 12 34 56 78")
    link = "https://centreville.example" + reverse(
        "orders_customer:track", kwargs={"town_slug": order.town.slug, "token": order.tracking_token}
    )

    sms = messages_of(order, OrderStatus.PLACED)[("customer", "sms")]

    assert sms.body.splitlines()[-1] == f"Suivi : {link}"


def test_the_merchant_reads_who_ordered_what_and_by_when_to_answer(
    place: Callable[..., Order], shop: Shop
) -> None:
    TownOrderSettings.objects.create(town=shop.town, accept_within_hours=2)
    order = place(contact="06 12 34 56 78")
    deadline = formats.date_format((order.created_at + timedelta(hours=2)).astimezone(PARIS), "l j F, H:i")

    messages = messages_of(order, OrderStatus.PLACED)
    email, sms = messages[("merchant", "email")], messages[("merchant", "sms")]

    assert email.recipient == "boulangerie@example.fr"
    assert email.subject == f"Nouvelle commande {order.reference} de Jeanne Dupont"
    assert f"Jeanne Dupont (06 12 34 56 78) a passé la commande {order.reference}" in email.body
    assert f"Acceptez-la ou refusez-la avant le {deadline}" in email.body
    assert "- 2 × Pain de campagne à 4,20\xa0€" in email.body
    assert reverse("merchants:home", kwargs={"town_slug": shop.town.slug}) in email.body
    # SMS keep to the GSM alphabet: no no-break space.
    assert sms.body.startswith(f"Nouvelle commande {order.reference} de Jeanne Dupont (8,40 €).")
    assert f"À accepter avant le {deadline}." in sms.body


def test_a_refusal_gives_its_reason(place: Callable[..., Order], merchant: Any) -> None:
    by_mail, by_sms = place(), place(contact="06 12 34 56 78")

    email = step(by_mail, OrderStatus.REFUSED, merchant, "Plus de farine")[("customer", "email")]
    sms = step(by_sms, OrderStatus.REFUSED, merchant, "Plus de farine")[("customer", "sms")]

    assert email.subject == f"Commande {by_mail.reference} refusée par Boulangerie Martin"
    assert "Motif : Plus de farine" in email.body
    assert "Statut : Refusée" in email.body
    assert "Motif : Plus de farine" in sms.body.splitlines()


def test_a_ready_locker_order_gives_the_code_the_place_and_the_deadline(
    place: Callable[..., Order], shop: Shop, merchant: Any
) -> None:
    locker = Locker.objects.create(
        town=shop.town, name="Consigne de la gare", street_address="1 place de la Gare", opening_hours="24/7"
    )
    TownOrderSettings.objects.create(town=shop.town, collect_within_days=3)
    order = place(contact="06 12 34 56 78", fulfilment=FulfilmentMethod.LOCKER, locker=locker)
    order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=merchant)

    sms = step(order, OrderStatus.READY, merchant)[("customer", "sms")]

    order.refresh_from_db()
    ready_at = OrderEvent.objects.get(order=order, to_status=OrderStatus.READY).created_at
    deadline = formats.date_format((ready_at + timedelta(days=3)).astimezone(PARIS), "l j F, H:i")
    assert len(order.locker_code) >= 4
    assert sms.body.splitlines()[0] == (
        f"Commande {order.reference} prête chez Boulangerie Martin. "
        "Retrait : Consigne de la gare, 1 place de la Gare. "
        f"Code de la consigne : {order.locker_code}. À retirer avant le {deadline}."
    )


def test_a_relay_order_is_announced_when_dropped_at_the_relay_point_not_when_ready_in_the_shop(
    place: Callable[..., Order], shop: Shop, merchant: Any
) -> None:
    relay = RelayPoint.objects.create(
        town=shop.town, name="Maison de la presse", street_address="3 rue du Marché", opening_hours="Mo-Sa"
    )
    order = place(fulfilment=FulfilmentMethod.RELAY, relay_point=relay)

    accepted = step(order, OrderStatus.ACCEPTED, merchant)[("customer", "email")]
    ready = step(order, OrderStatus.READY, merchant)  # still in the shop
    dropped = step(order, OrderStatus.DROPPED, merchant)[("customer", "email")]

    assert "Retrait en point relais" in accepted.body
    assert ("customer", "email") not in ready
    assert "Lieu de retrait : Maison de la presse, 3 rue du Marché" in dropped.body
    assert "Code de la consigne" not in dropped.body
    assert "a déposé votre commande au point relais : vous pouvez aller la chercher." in dropped.body


def test_the_pickup_slot_is_shown_in_the_towns_time(place: Callable[..., Order]) -> None:
    start = datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Paris
    order = place(pickup_slot_start=start, pickup_slot_end=start + timedelta(minutes=30))

    email = messages_of(order, OrderStatus.PLACED)[("customer", "email")]

    assert "Créneau : mardi 3 mars, 10:00–10:30" in email.body


def test_a_delivered_order_gives_the_address_and_says_it_is_on_its_way(
    place: Callable[..., Order], shop: Shop, merchant: Any
) -> None:
    zone = DeliveryZone.objects.create(town=shop.town, name="Centre", postcodes=["61200"])
    order = place(
        fulfilment=FulfilmentMethod.DELIVERY,
        delivery_zone=zone,
        delivery_address="5 rue des Lilas",
        delivery_postcode="61200",
        delivery_city="Argentan",
        delivery_fee=Decimal("5.00"),
        delivery_subsidy=Decimal("3.00"),
    )
    order_transition(order=order, to_status=OrderStatus.ACCEPTED, actor=merchant)

    email = step(order, OrderStatus.READY, merchant)[("customer", "email")]

    assert "Votre commande est prête : elle part en livraison." in email.body
    assert "Adresse de livraison : 5 rue des Lilas, 61200 Argentan" in email.body
    assert "Livraison : 2,00\xa0€" in email.body
    assert "Total : 10,40\xa0€" in email.body
    assert "Retirez-la avant" not in email.body


def test_an_expiry_tells_why(place: Callable[..., Order]) -> None:
    order = place()

    email = step(order, OrderStatus.EXPIRED, None, "Le commerce n'a pas confirmé la commande à temps.")[
        ("customer", "email")
    ]

    assert email.subject == f"Commande {order.reference} expirée"
    assert "Motif : Le commerce n'a pas confirmé la commande à temps." in email.body


def test_a_customer_who_ordered_in_english_reads_english(place: Callable[..., Order]) -> None:
    start = datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):  # the customer browses the site in English
        order = place(pickup_slot_start=start, pickup_slot_end=start + timedelta(minutes=30))
    assert order.language == "en"
    event = OrderEvent.objects.select_related("order").get(order=order)

    with translation.override("fr"):
        email = next(m for m in order_event_messages(event) if m.audience == "customer")

    assert email.subject.startswith("Order")
    assert order.reference in email.subject
    assert "Boulangerie Martin" in email.body
    assert order.tracking_token in email.body
    assert "Tuesday 3 March, 10:00–10:30" in email.body
    assert "€8.40" in email.body
    assert "8,40" not in email.body


def test_subjects_are_one_line_and_sms_have_no_blank_lines(
    place: Callable[..., Order], merchant: Any
) -> None:
    order = place(contact="06 12 34 56 78")
    messages = list(messages_of(order, OrderStatus.PLACED).values())
    messages += list(step(order, OrderStatus.REFUSED, merchant, "Fermé").values())

    for message in messages:
        assert "\n" not in message.subject
        if message.channel == "sms":
            assert message.subject == ""
            assert all(line.strip() for line in message.body.splitlines())

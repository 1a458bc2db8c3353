from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from centreville.lots.models import Lot
from centreville.wholesale.checkout import place_orders
from centreville.wholesale.models import OrderStatus
from centreville.wholesale.services import order_transition
from centreville.wholesale.standing import standing_order_create, standing_orders_generate
from centreville.wholesale.transitions import Actor

from .scenario import AT, scenario

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_buyer_is_told_of_each_step_and_the_producer_of_a_new_order() -> None:
    given = scenario()

    [order] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("10"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )
    order_transition(order=order, to_status=OrderStatus.REFUSED, actor=Actor.PRODUCER, at=AT, reason="Grêle")

    sent = {(message.to[0], message.subject) for message in mail.outbox}
    assert (given.buyer.email, f"Commande {order.reference} envoyée à Ferme des Sources") in sent
    assert (given.farm.email, f"Nouvelle commande {order.reference} de Le Bistrot") in sent
    assert (given.buyer.email, f"Commande {order.reference} : Refusée") in sent
    refusal = next(message for message in mail.outbox if "Refusée" in message.subject)
    assert "Motif : Grêle" in refusal.body
    assert (
        f"http://testserver/pro/le-bistrot/achats/{order.reference}/" in refusal.body
        or "/pro/le-bistrot/achats/" in refusal.body
    )


def test_the_buyer_is_told_when_a_week_could_not_be_ordered() -> None:
    given = scenario()
    with transaction.atomic():
        standing_order_create(
            buyer=given.buyer,
            producer=given.farm,
            weekday=2,
            hand_over="farm",
            place_id=given.place.pk,
            lines=[(given.carrots.pk, Decimal("5"))],
            starts_on=AT.date(),
        )
    Lot.objects.filter(pk=given.carrots.pk).update(quantity_available=0)

    standing_orders_generate(at=AT)

    [message] = mail.outbox
    assert message.to == [given.buyer.email]
    assert message.subject == "Commande régulière à Ferme des Sources non passée pour le mardi 8 décembre"
    assert "« Carottes » n'est plus disponible." in message.body
    assert "/pro/le-bistrot/commandes-regulieres/" in message.body

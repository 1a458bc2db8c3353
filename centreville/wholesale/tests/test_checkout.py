from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from centreville.enterprises.tests.factories import BuyerFactory
from centreville.lots.models import Lot
from centreville.lots.tests.factories import LotFactory, LotPriceFactory
from centreville.wholesale.checkout import Delivery, checkout, place_orders
from centreville.wholesale.handover import HandOverChoice, hand_over_offers, round_cutoff
from centreville.wholesale.models import HandOver, WholesaleBasketLine, WholesaleLine, WholesaleOrder
from centreville.wholesale.services import basket_add, basket_change, basket_remove

from .scenario import AT, DRIVE_SLOT, FARM_WINDOW, scenario

pytestmark = pytest.mark.django_db


def test_checkout_across_two_producers_makes_two_orders_in_one_group() -> None:
    given = scenario()
    basket_add(buyer=given.buyer, lot_id=given.carrots.pk, quantity=Decimal("10"), at=AT)
    basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("12"), at=AT)

    orders = checkout(
        buyer=given.buyer,
        choices={given.farm.pk: given.farm_choice(), given.dairy.pk: given.drive_choice()},
        at=AT,
    )

    assert [order.producer for order in orders] == [given.farm, given.dairy]
    assert orders[0].group_reference == orders[1].group_reference
    assert (orders[0].hand_over, orders[0].hand_over_at) == (HandOver.FARM, FARM_WINDOW)
    assert (orders[1].hand_over, orders[1].drive_point, orders[1].hand_over_at) == (
        HandOver.DRIVE,
        given.drive,
        DRIVE_SLOT,
    )
    line = WholesaleLine.objects.get(order=orders[1])
    assert (line.title, line.quantity, line.unit_price, line.vat_rate, line.unit) == (
        "Camembert",
        Decimal("12"),
        Decimal("3.5000"),
        "5.5",
        "piece",
    )
    given.carrots.refresh_from_db()
    given.cheese.refresh_from_db()
    assert (given.carrots.quantity_available, given.cheese.quantity_available) == (
        Decimal("30"),
        Decimal("48"),
    )
    assert not WholesaleBasketLine.objects.exists()


def test_the_buyer_category_price_is_copied_on_the_line() -> None:
    given = scenario()
    LotPriceFactory.create(lot=given.carrots, buyer_category="restaurant", unit_price=Decimal("0.9500"))

    [order] = place_orders(
        buyer=given.buyer,
        wanted=[(given.carrots.pk, Decimal("5"))],
        choices={given.farm.pk: given.farm_choice()},
        at=AT,
    )

    assert order.lines.get().unit_price == Decimal("0.9500")


def test_a_quantity_no_longer_available_is_refused_naming_the_lot_and_nothing_is_written() -> None:
    given = scenario()
    basket_add(buyer=given.buyer, lot_id=given.carrots.pk, quantity=Decimal("10"), at=AT)
    basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("12"), at=AT)
    Lot.objects.filter(pk=given.cheese.pk).update(quantity_available=Decimal("6"))

    with pytest.raises(ValidationError) as refused:
        checkout(
            buyer=given.buyer,
            choices={given.farm.pk: given.farm_choice(), given.dairy.pk: given.drive_choice()},
            at=AT,
        )

    assert refused.value.messages == ["« Camembert » : il n'en reste que 6."]
    assert not WholesaleOrder.objects.exists()
    given.carrots.refresh_from_db()
    assert given.carrots.quantity_available == Decimal("40")
    assert WholesaleBasketLine.objects.count() == 2


def test_the_basket_checks_minimum_and_step_in_french_and_changes_nothing() -> None:
    given = scenario()

    with pytest.raises(ValidationError) as below:
        basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("3"), at=AT)
    line = basket_add(buyer=given.buyer, lot_id=given.cheese.pk, quantity=Decimal("6"), at=AT)
    with pytest.raises(ValidationError) as off_step:
        basket_change(buyer=given.buyer, line_id=line.pk, quantity=Decimal("8"))

    assert below.value.messages == ["« Camembert » se commande par 6 au moins."]
    assert off_step.value.messages == ["« Camembert » se commande par multiples de 6."]
    line.refresh_from_db()
    assert line.quantity == Decimal("6")
    basket_change(buyer=given.buyer, line_id=line.pk, quantity=Decimal("18"))
    line.refresh_from_db()
    assert line.quantity == Decimal("18")
    basket_remove(buyer=given.buyer, line_id=line.pk)
    assert not WholesaleBasketLine.objects.exists()


def test_a_drive_slot_takes_at_most_its_capacity() -> None:
    given = scenario()
    for _n in range(2):
        other = BuyerFactory.create()
        place_orders(
            buyer=other,
            wanted=[(given.cheese.pk, Decimal("6"))],
            choices={given.dairy.pk: given.drive_choice()},
            at=AT,
        )

    with pytest.raises(ValidationError) as full:
        place_orders(
            buyer=given.buyer,
            wanted=[(given.cheese.pk, Decimal("6"))],
            choices={given.dairy.pk: given.drive_choice()},
            at=AT,
        )

    assert "est complet" in full.value.messages[0]
    assert WholesaleOrder.objects.count() == 2
    offered = [offer.choice.starts_at for offer in hand_over_offers(given.dairy, at=AT)]
    assert DRIVE_SLOT not in offered
    assert datetime(2026, 12, 10, 15, 30, tzinfo=UTC) in offered


def test_a_drive_point_the_producer_does_not_belong_to_is_refused() -> None:
    given = scenario()
    given.drive.producers.remove(given.dairy)

    with pytest.raises(ValidationError) as refused:
        place_orders(
            buyer=given.buyer,
            wanted=[(given.cheese.pk, Decimal("6"))],
            choices={given.dairy.pk: given.drive_choice()},
            at=AT,
        )

    assert refused.value.messages == ["Laiterie du Pays ne livre pas ce drive."]


def test_a_farm_window_must_be_one_of_the_place_and_in_the_future() -> None:
    given = scenario()

    for wrong in (datetime(2026, 12, 8, 10, 0, tzinfo=UTC), datetime(2026, 12, 4, 16, 0, tzinfo=UTC)):
        with pytest.raises(ValidationError):
            place_orders(
                buyer=given.buyer,
                wanted=[(given.carrots.pk, Decimal("5"))],
                choices={given.farm.pk: given.farm_choice(wrong)},
                at=AT,
            )
    assert not WholesaleOrder.objects.exists()


def _round(given, day: date) -> HandOverChoice:
    return HandOverChoice(HandOver.ROUND, given.delivery_round.pk, day=day)


def test_a_round_is_refused_after_its_cutoff_and_taken_before() -> None:
    given = scenario()
    tuesday = date(2026, 12, 8)  # cut-off Monday 12:00 in Paris
    assert round_cutoff(given.delivery_round, tuesday) == datetime(2026, 12, 7, 11, 0, tzinfo=UTC)
    wanted = [(given.carrots.pk, Decimal("40"))]  # 48 € excluding VAT… below the 50 € minimum

    with pytest.raises(ValidationError) as too_little:
        place_orders(buyer=given.buyer, wanted=wanted, choices={given.farm.pk: _round(given, tuesday)}, at=AT)
    given.carrots.unit_price = Decimal("1.5")
    given.carrots.save()
    with pytest.raises(ValidationError) as too_late:
        place_orders(
            buyer=given.buyer,
            wanted=wanted,
            choices={given.farm.pk: _round(given, tuesday)},
            at=datetime(2026, 12, 7, 11, 0, tzinfo=UTC),
        )
    [order] = place_orders(
        buyer=given.buyer, wanted=wanted, choices={given.farm.pk: _round(given, tuesday)}, at=AT
    )

    assert "à partir de 50,00 € HT" in too_little.value.messages[0]
    assert "Trop tard pour la tournée" in too_late.value.messages[0]
    assert order.delivery_round == given.delivery_round
    assert order.hand_over_at == datetime(2026, 12, 7, 23, 0, tzinfo=UTC)  # Tuesday's midnight in Paris
    assert order.delivery_postcode == "61200"


def test_a_round_serves_only_its_postcodes_and_its_weekdays() -> None:
    given = scenario()
    wanted = [(given.carrots.pk, Decimal("40"))]
    given.delivery_round.minimum_order = Decimal("0")
    given.delivery_round.save()

    with pytest.raises(ValidationError) as elsewhere:
        place_orders(
            buyer=given.buyer,
            wanted=wanted,
            choices={given.farm.pk: _round(given, date(2026, 12, 8))},
            at=AT,
            delivery=Delivery(address="1 place", postcode="14000", city="Caen"),
        )
    with pytest.raises(ValidationError) as wednesday:
        place_orders(
            buyer=given.buyer, wanted=wanted, choices={given.farm.pk: _round(given, date(2026, 12, 9))}, at=AT
        )

    assert elsewhere.value.messages == [
        "La tournée « Tournée d'Argentan » ne dessert pas le code postal « 14000 »."
    ]
    assert wednesday.value.messages == ["La tournée « Tournée d'Argentan » ne passe pas ce jour-là."]
    assert not WholesaleOrder.objects.exists()


def test_a_choice_read_back_from_its_option_value_is_the_same() -> None:
    choice = HandOverChoice(HandOver.DRIVE, 4, starts_at=DRIVE_SLOT)
    assert HandOverChoice.parse(choice.value) == choice
    with pytest.raises(ValidationError):
        HandOverChoice.parse("drive|x|hier")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent transactions")
def test_concurrent_checkouts_never_oversell_a_lot() -> None:
    lot = LotFactory.create(quantity_available=Decimal("3"), minimum_quantity=Decimal("1"))
    place = lot.enterprise.pickup_places.create(
        name="Ferme",
        street_address="Le Bourg",
        postcode="61200",
        city="Argentan",
        opening_hours="Mo-Su 08:00-20:00",
    )
    buyers = [BuyerFactory.create() for _n in range(8)]
    choice = HandOverChoice(HandOver.FARM, place.pk, starts_at=datetime(2026, 12, 7, 7, 0, tzinfo=UTC))
    barrier = threading.Barrier(len(buyers))
    outcomes: list[str] = []
    guard = threading.Lock()

    def buy(buyer) -> None:
        try:
            barrier.wait()
            try:
                place_orders(
                    buyer=buyer,
                    wanted=[(lot.pk, Decimal("1"))],
                    choices={lot.enterprise_id: choice},
                    at=datetime(2026, 12, 6, 8, 0, tzinfo=UTC),
                )
                result = "sold"
            except ValidationError:
                result = "refused"
            with guard:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    lot.refresh_from_db()
    assert sorted(outcomes) == ["refused"] * 5 + ["sold"] * 3
    assert lot.quantity_available == 0
    assert WholesaleLine.objects.filter(lot=lot).count() == 3

"""Writes of lots: each bad input is refused in French and changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from centreville.catalogue.tests.factories import ProductCategoryFactory
from centreville.enterprises.signals import enterprise_changed
from centreville.enterprises.tests.factories import BuyerFactory, EnterpriseFactory, PickupPlaceFactory
from centreville.lots import services
from centreville.lots.models import Lot, LotPrice, Unit, VatRate
from centreville.lots.tests.factories import LotFactory, LotPriceFactory

pytestmark = pytest.mark.django_db


def lot_fields(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "category": ProductCategoryFactory.create(name="Fruits et légumes", slug="fruits-legumes"),
        "title": "Pommes de terre nouvelles",
        "unit": Unit.KILOGRAM,
        "quantity_available": Decimal("100"),
        "minimum_quantity": Decimal("5"),
        "quantity_step": Decimal("5"),
        "unit_price": Decimal("1.10"),
    }
    fields.update(changes)
    return fields


def test_a_new_lot_takes_the_vat_rate_of_its_category_and_its_producers_copies() -> None:
    producer = EnterpriseFactory.create(labels=["ab"], name="Ferme du Pont")
    PickupPlaceFactory.create(enterprise=producer, opening_hours="Tu,Fr 17:00-19:00; Sa 09:00-12:00")

    lot = services.lot_create(enterprise=producer, **lot_fields())

    assert lot.vat_rate == VatRate.REDUCED
    assert (lot.latitude, lot.longitude) == (producer.latitude, producer.longitude)
    assert lot.pickup_weekdays == "145"
    assert lot.label_codes == "|ab|"
    assert " pomm " in lot.search_text
    assert " pont " in lot.search_text


def test_a_given_vat_rate_is_kept_and_wine_defaults_to_the_standard_rate() -> None:
    producer = EnterpriseFactory.create()
    drinks = ProductCategoryFactory.create(name="Boissons", slug="boissons")

    wine = services.lot_create(
        enterprise=producer, **lot_fields(category=drinks, title="Cidre brut", unit=Unit.LITRE)
    )
    juice = services.lot_create(
        enterprise=producer, **lot_fields(title="Jus de pomme", vat_rate=VatRate.INTERMEDIATE)
    )

    assert wine.vat_rate == VatRate.STANDARD
    assert juice.vat_rate == VatRate.INTERMEDIATE


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity_available": Decimal("-1")}, "quantity_available", "ne peut pas être négative"),
        ({"unit_price": None}, "unit_price", "prix unitaire hors taxes supérieur à zéro"),
        ({"unit_price": Decimal("0")}, "unit_price", "prix unitaire hors taxes supérieur à zéro"),
        ({"minimum_quantity": Decimal("0")}, "minimum_quantity", "minimum de commande doit être supérieur"),
        ({"quantity_step": Decimal("-2")}, "quantity_step", "pas de commande doit être supérieur"),
        ({"variable_weight": True, "unit": Unit.PIECE}, "estimated_weight", "poids estimé d'une pièce"),
        ({"variable_weight": True, "estimated_weight": Decimal("1.2")}, "unit", "se vend à la pièce"),
    ],
)
def test_bad_figures_are_refused_in_french_and_nothing_is_created(
    changes: dict[str, Any], field: str, message: str
) -> None:
    producer = EnterpriseFactory.create()

    with pytest.raises(ValidationError) as refused:
        services.lot_create(enterprise=producer, **lot_fields(**changes))

    assert any(message in text for text in refused.value.message_dict[field])
    assert not Lot.objects.exists()


def test_a_buyer_cannot_put_lots_on_sale() -> None:
    with pytest.raises(ValidationError, match="Seul un producteur"):
        services.lot_create(enterprise=BuyerFactory.create(), **lot_fields())

    assert not Lot.objects.exists()


def test_a_refused_update_leaves_the_lot_as_it_was() -> None:
    lot = LotFactory.create(unit_price=Decimal("1.2000"), title="Carottes")

    with pytest.raises(ValidationError):
        services.lot_update(lot=lot, title="Carottes fanes", unit_price=Decimal("-3"))

    lot.refresh_from_db()
    assert (lot.title, lot.unit_price) == ("Carottes", Decimal("1.2000"))


def test_an_update_changes_the_lot_and_its_words() -> None:
    lot = LotFactory.create(title="Carottes")

    services.lot_update(lot=lot, title="Poireaux d'hiver", vat_rate=VatRate.STANDARD)

    lot.refresh_from_db()
    assert lot.title == "Poireaux d'hiver"
    assert lot.vat_rate == VatRate.STANDARD
    assert " poireau " in lot.search_text


def test_taps_add_and_take_away_steps_and_epuise_sets_zero() -> None:
    lot = LotFactory.create(quantity_available=Decimal("10"), quantity_step=Decimal("2.5"))

    services.lot_quantity_change(lot=lot, change=Decimal("2.5"))
    services.lot_quantity_change(lot=lot, change=Decimal("-5"))
    lot.refresh_from_db()
    assert lot.quantity_available == Decimal("7.5")

    services.lot_quantity_set(lot=lot, quantity=Decimal("0"))
    lot.refresh_from_db()
    assert lot.quantity_available == 0


def test_a_quantity_never_goes_below_zero() -> None:
    lot = LotFactory.create(quantity_available=Decimal("2"))

    with pytest.raises(ValidationError) as refused:
        services.lot_quantity_change(lot=lot, change=Decimal("-3"))
    with pytest.raises(ValidationError):
        services.lot_quantity_set(lot=lot, quantity=Decimal("-1"))

    assert "ne peut pas passer sous zéro" in refused.value.messages[0]
    lot.refresh_from_db()
    assert lot.quantity_available == Decimal("2")


def test_prices_per_buyer_category_are_set_changed_and_removed() -> None:
    lot = LotFactory.create()
    LotPriceFactory.create(lot=lot, buyer_category="canteen", unit_price=Decimal("1.1"))

    prices = services.lot_prices_set(
        lot=lot, prices={"canteen": None, "restaurant": Decimal("1.05"), "grocer": Decimal("1.15")}
    )

    assert [(p.buyer_category, p.unit_price) for p in prices] == [
        ("grocer", Decimal("1.15")),
        ("restaurant", Decimal("1.05")),
    ]
    assert set(LotPrice.objects.values_list("buyer_category", flat=True)) == {"grocer", "restaurant"}


def test_a_bad_price_changes_no_price() -> None:
    lot = LotFactory.create()
    LotPriceFactory.create(lot=lot, buyer_category="canteen", unit_price=Decimal("1.1"))

    with pytest.raises(ValidationError, match="supérieur à zéro"):
        services.lot_prices_set(lot=lot, prices={"canteen": Decimal("0.9"), "restaurant": Decimal("0")})

    assert list(LotPrice.objects.values_list("buyer_category", "unit_price")) == [("canteen", Decimal("1.1"))]


def test_when_the_producer_moves_its_lots_follow() -> None:
    producer = EnterpriseFactory.create()
    lots = LotFactory.create_batch(3, enterprise=producer)
    producer.latitude, producer.longitude, producer.labels = Decimal("48.9"), Decimal("-0.2"), ["hve"]
    producer.save()
    PickupPlaceFactory.create(enterprise=producer, opening_hours="Mo 08:00-10:00")

    enterprise_changed.send(sender=type(producer), enterprise=producer)

    for lot in lots:
        lot.refresh_from_db()
        assert (lot.latitude, lot.longitude) == (Decimal("48.900000"), Decimal("-0.200000"))
        assert (lot.label_codes, lot.pickup_weekdays) == ("|hve|", "0")
